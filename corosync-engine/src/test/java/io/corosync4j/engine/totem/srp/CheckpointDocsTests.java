package io.corosync4j.engine.totem.srp;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointError;
import io.corosync4j.engine.checkpoint.CheckpointException;
import io.corosync4j.engine.checkpoint.CheckpointProbe;
import io.corosync4j.engine.checkpoint.CheckpointService;
import io.corosync4j.engine.checkpoint.CheckpointStatus;
import io.corosync4j.engine.checkpoint.SectionDescriptor;
import io.corosync4j.engine.checkpoint.SectionFilter;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.SectionWrite;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.replica.ReplicaHost;
import io.corosync4j.engine.totem.srp.LockSimulationTests.DirectExecutorService;
import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/checkpoints.md}, run on a simulated ring of three nodes (the service's
 * futures complete in the simulation's own order, so the examples chain them rather than block), with
 * the service's behaviour the page describes: refusals, retention and expiry.
 */
class CheckpointDocsTests extends SimulatedServiceTests<CheckpointError> {

	CheckpointDocsTests() {
		super(11, "checkpoint service");
	}

	@Override
	CheckpointError errorOf(Throwable failure) {
		return ((CheckpointException) failure).error();
	}

	@Test
	void theServiceStartsOnAHost() throws Exception {
		startThreeNodes();
		ReplicaHost host = this.hosts.get(0);
		// tag::start[]
		CheckpointService checkpoints = new CheckpointService(host);   // joins the CPG group corosync4j:ckpt
		checkpoints.ready().thenRun(() -> System.out.println("this member holds every checkpoint"));
		// end::start[]
		run(3_000);
		checkpoints.ready().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(checkpoints.holdsState()).isTrue();
		checkpoints.close();
		run(100);
	}

	@Test
	void checkpointsAreUsedAsThePageSays() {
		startThreeNodes();
		ReplicaHost host = this.hosts.get(0);
		// futures completed in the simulation's order (the page's start uses the service's own thread)
		CheckpointService checkpoints = new CheckpointService(host, new DirectExecutorService());
		CheckpointService other = new CheckpointService(this.hosts.get(1), new DirectExecutorService());
		run(3_000);
		assertThat(checkpoints.holdsState()).isTrue();

		// tag::open[]
		CheckpointAttributes attributes = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
			.withMaxSize(64 * 1024)                 // bytes of all sections together
			.withMaxSections(16)
			.withMaxSectionSize(4 * 1024)
			.withMaxSectionIdSize(32)
			.withRetention(Duration.ofMinutes(5));  // kept 5 minutes after the last close
		CompletableFuture<Checkpoint> opened = checkpoints.open("sessions", attributes);
		// end::open[]
		run(1_000);
		Checkpoint sessions = opened.join();

		// tag::write[]
		SectionId cart = SectionId.of("cart-42");
		CompletableFuture<String> read = sessions.createSection(cart, "3 items".getBytes(UTF_8), null)
			.thenCompose((created) -> sessions.overwrite(cart, "4 items".getBytes(UTF_8)))
			.thenCompose((written) -> sessions.read(cart))   // from this member's replica
			.thenApply((data) -> new String(data, UTF_8));
		// end::write[]
		run(1_000);
		assertThat(read.join()).isEqualTo("4 items");

		// tag::atomic[]
		CompletableFuture<Void> both = sessions.write(List.of(
				new SectionWrite(cart, 0, "5".getBytes(UTF_8)),
				new SectionWrite(SectionId.of("missing"), 0, "x".getBytes(UTF_8))));
		both.exceptionally((failure) -> {
			CheckpointException refused = (CheckpointException) failure;
			System.out.println(refused.error() + ": " + refused.detail());   // NOT_FOUND: section missing …
			return null;
		});
		// end::atomic[]
		run(1_000);
		assertThat(both).isCompletedExceptionally();
		assertThat(error(both)).isEqualTo(CheckpointError.NOT_FOUND);
		assertThat(new String(await(sessions.read(cart)), UTF_8)).isEqualTo("4 items");

		// tag::exists[]
		other.open("sessions", attributes.withMaxSize(1024)).exceptionally((failure) -> {
			// EXISTS: a checkpoint of that name was created with other attributes
			System.out.println(((CheckpointException) failure).error());
			return null;
		});
		// end::exists[]
		CompletableFuture<Checkpoint> mismatch = other.open("sessions", attributes.withMaxSize(1024));
		CompletableFuture<Checkpoint> missing = other.open("no-such-checkpoint", null);
		run(1_000);
		assertThat(error(mismatch)).isEqualTo(CheckpointError.EXISTS);
		assertThat(error(missing)).isEqualTo(CheckpointError.NOT_FOUND);

		// tag::async[]
		CheckpointAttributes fast = CheckpointAttributes.of(UpdateMode.ASYNCHRONOUS).withRetention(Duration.ZERO);
		CompletableFuture<Void> synchronized_ = checkpoints.open("metrics", fast).thenCompose((metrics) ->
				metrics.createSection(SectionId.of("requests"), "1017".getBytes(UTF_8), null)   // applied here
					.thenCompose((created) -> metrics.overwrite(SectionId.of("requests"), "1018".getBytes(UTF_8)))
					.thenCompose((written) -> metrics.synchronize()));   // both held by every member now
		// end::async[]
		run(1_000);
		assertThat(synchronized_).isCompleted();

		// tag::expiry[]
		Instant soon = Instant.ofEpochMilli(host.currentTimeMillis()).plusSeconds(2);   // Instant.now() on a node
		CompletableFuture<List<SectionDescriptor>> expiring = sessions
			.createSection(SectionId.of("token"), "abc".getBytes(UTF_8), soon)   // every member drops it in 2 s
			.thenCompose((created) -> sessions.sections(SectionFilter.expiringBefore(soon)));
		// end::expiry[]
		run(500);
		assertThat(expiring.join()).extracting(SectionDescriptor::id).containsExactly(SectionId.of("token"));
		run(3_000);
		assertThat(await(sessions.sections(SectionFilter.any()))).extracting(SectionDescriptor::id).containsExactly(cart);
		assertThat(await(other.checkpoints())).filteredOn((status) -> status.name().equals("sessions"))
			.extracting(CheckpointStatus::sections).containsExactly(1);

		// tag::view[]
		checkpoints.checkpoints().thenAccept((all) -> {
			for (CheckpointStatus checkpoint : all) {
				System.out.println(checkpoint.name() + ": " + checkpoint.sections() + " sections, " + checkpoint.bytes()
						+ " bytes, " + checkpoint.openers() + " open");
			}
		});
		System.out.println(checkpoints.statistics());
		// end::view[]
		run(100);
		// the asynchronous checkpoint was never closed by its caller: still open, so still there
		assertThat(await(checkpoints.checkpoints())).extracting(CheckpointStatus::name).containsExactly("metrics", "sessions");
		assertThat(checkpoints.statistics().writes()).isGreaterThanOrEqualTo(4);
		assertThat(checkpoints.statistics().refusals()).isGreaterThanOrEqualTo(1);

		// tag::close[]
		sessions.close();                     // retention starts once no handle has it open
		checkpoints.unlink("metrics");        // the name is free now; the data goes at the last close
		// end::close[]
		run(1_000);
		assertThat(sessions.isOpen()).isFalse();
		assertThat(await(other.checkpoints())).extracting(CheckpointStatus::name, CheckpointStatus::unlinked)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("sessions", false),
					org.assertj.core.groups.Tuple.tuple("metrics", true));
		checkpoints.close();
		other.close();
	}

	@Test
	void retentionRunsOnTheCoordinatorsClockAndTooLargeWritesAreNeverSent() {
		startThreeNodes();
		CheckpointService checkpoints = new CheckpointService(this.hosts.get(2), new DirectExecutorService());
		CheckpointService other = new CheckpointService(this.hosts.get(0), new DirectExecutorService());
		run(3_000);
		CheckpointAttributes brief = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
			.withMaxSections(1)
			.withMaxSectionSize(CheckpointService.MAX_OPERATION_BYTES)
			.withMaxSize(CheckpointService.MAX_OPERATION_BYTES)
			.withRetention(Duration.ofSeconds(2));
		CompletableFuture<Checkpoint> opened = checkpoints.open("brief", brief);
		run(500);
		Checkpoint handle = opened.join();
		CompletableFuture<Void> tooBig = handle.overwrite(SectionId.DEFAULT, new byte[CheckpointService.MAX_OPERATION_BYTES]);
		assertThat(error(tooBig)).isEqualTo(CheckpointError.TOO_BIG);
		handle.close();
		run(1_500);
		assertThat(await(other.checkpoints())).extracting(CheckpointStatus::name).containsExactly("brief");
		// reopened within the retention: the retirement timed for the closed generation does nothing
		CompletableFuture<Checkpoint> again = other.open("brief", null);
		run(1_000);
		assertThat(await(other.checkpoints())).extracting(CheckpointStatus::name).containsExactly("brief");
		again.join().close();
		run(2_500);
		assertThat(await(other.checkpoints())).isEmpty();
		assertThat(await(checkpoints.checkpoints())).isEmpty();
		// a closed handle refuses; a closed service refuses
		assertThat(error(handle.read(SectionId.DEFAULT))).isEqualTo(CheckpointError.CLOSED);
		checkpoints.close();
		run(100);
		assertThat(error(checkpoints.open("x", brief))).isEqualTo(CheckpointError.CLOSED);
		other.close();
	}

	@Test
	void aMemberWithoutTheStateRefusesAtOnce() {
		startThreeNodes();
		// alone: the other two nodes stopped, so this one is outside the primary component
		this.sim.nodes.get(1).crash();
		this.sim.nodes.get(2).crash();
		CheckpointService alone = new CheckpointService(this.hosts.get(0), new DirectExecutorService());
		run(3_000);
		assertThat(alone.holdsState()).isFalse();
		assertThat(alone.ready().toCompletableFuture()).isNotDone();
		assertThat(error(alone.open("x", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)))).isEqualTo(CheckpointError.NO_QUORUM);
		assertThat(error(alone.checkpoints())).isEqualTo(CheckpointError.NO_QUORUM);
		assertThat(error(alone.open("", null))).isEqualTo(CheckpointError.INVALID);
		alone.close();
	}

	/**
	 * The page's promise for synchronous writes: told once members on two nodes hold them. The first node
	 * is the only holder and sends its 3 MiB state to the second when a write is made; the first node dies
	 * the moment the write is told. The second node, with the third's vote, is the primary component and
	 * must hold the write: it could only be told after the second node had the whole state, and after the
	 * chunk that completed it was held by every member (else the second node might never receive it).
	 */
	@Test
	void aSynchronousWriteToldSurvivesItsNodeWhileTheStateWasOnItsWayToAnother() {
		startThreeNodes();
		CheckpointService first = new CheckpointService(this.hosts.get(0), new DirectExecutorService());
		run(3_000);
		CheckpointAttributes bulk = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
			.withMaxSize(4L * 1024 * 1024)
			.withMaxSections(16)
			.withMaxSectionSize(256 * 1024);
		Checkpoint checkpoint = await(first.open("bulk", bulk));
		for (int i = 0; i < 12; i++) {
			byte[] data = new byte[256 * 1024];
			java.util.Arrays.fill(data, (byte) i);
			await(checkpoint.createSection(SectionId.of("s" + i), data, null));
		}
		CheckpointService second = new CheckpointService(this.hosts.get(1), new DirectExecutorService());
		for (int i = 0; i < 2_000 && !CheckpointProbe.transferring(first); i++) {
			this.sim.runUntil(this.sim.now() + Simulation.MS / 10);
		}
		assertThat(CheckpointProbe.transferring(first)).as("the first node sends its state").isTrue();
		CompletableFuture<Void> write = checkpoint.overwrite(SectionId.of("s0"), "told".getBytes(UTF_8));
		write.whenComplete((ok, failure) -> this.sim.at(this.sim.now(), null, Simulation.Event.Kind.CONTROL,
				"crash the writer", this.sim.nodes.get(0)::crash));
		run(15_000);
		assertThat(write).isCompleted();
		assertThat(this.sim.nodes.get(0).alive()).isFalse();
		assertThat(second.holdsState()).as("the second node holds the state").isTrue();
		assertThat(CheckpointProbe.section(second, "bulk", SectionId.of("s0"))).isEqualTo("told".getBytes(UTF_8));
		second.close();
		run(100);
	}

}
