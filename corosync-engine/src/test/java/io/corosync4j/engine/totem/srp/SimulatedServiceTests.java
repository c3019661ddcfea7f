package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.corosync4j.engine.replica.ReplicaHost;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of a replicated service on a simulated ring of three nodes with Corosync's default timers: the
 * service's futures complete in the simulation's own order, so a test runs the simulation a little for
 * each and then reads it.
 *
 * @param <E> the service's error
 */
abstract class SimulatedServiceTests<E> {

	final Simulation sim;

	/** Each node's host for a replicated service, in node order, once {@link #startThreeNodes} ran. */
	final List<ReplicaHost> hosts = new ArrayList<>();

	private final String service;

	SimulatedServiceTests(long seed, String service) {
		this.sim = new Simulation(seed);
		this.service = service;
	}

	/** The service's error a failed call carries. */
	abstract E errorOf(Throwable failure);

	void startThreeNodes() {
		this.sim.services = true;
		this.sim.invariants.payloads = false;
		this.sim.servicesStarted = (services) -> this.hosts.add(services.replicaHost(this.service));
		this.sim.addNodes(3, (id) -> new SrpSettings(id, Simulation.timers(3, 0), true, 2974));
		this.sim.nodes.forEach(SimNode::start);
		run(3_000);
	}

	void run(long millis) {
		this.sim.runUntil(this.sim.now() + millis * Simulation.MS);
	}

	/** The future's value, after the simulation ran a little for it. */
	<T> T await(CompletableFuture<T> future) {
		run(100);
		return future.join();
	}

	/** Why the future failed, after the simulation ran a little for it. */
	E error(CompletableFuture<?> future) {
		if (!future.isDone()) {
			run(100);
		}
		assertThat(future).isCompletedExceptionally();
		try {
			future.join();
			throw new AssertionError("not failed");
		}
		catch (CompletionException failed) {
			return errorOf(failed.getCause());
		}
	}

}
