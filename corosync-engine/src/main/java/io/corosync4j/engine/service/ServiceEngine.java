package io.corosync4j.engine.service;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.totem.srp.ConfigurationChange;

/**
 * A service engine ({@code struct corosync_service_engine}): it receives the messages addressed to its
 * service id and every configuration change. All calls come on the node's event loop.
 */
public interface ServiceEngine {

	/** Corosync's service ids. */
	int CMAP = 0;

	int CFG = 1;

	int CPG = 2;

	int QUORUM = 3;

	int PLOAD = 4;

	int VOTEQUORUM = 5;

	int serviceId();

	String name();

	/** How many message functions the engine handles ({@code exec_engine_count}), for CMAP's counters. */
	default int functionCount() {
		return 0;
	}

	/** Called once, on the event loop, before the node starts Totem. */
	void start(ServiceContext context);

	/**
	 * A message for this service, in agreed order.
	 * @param nodeid the sender
	 * @param function the function number (the low 16 bits of the header id)
	 * @param message the whole service message, header included
	 * @param bigEndian whether the sender writes big-endian (the engine swaps what it reads)
	 */
	void deliver(long nodeid, int function, byte[] message, boolean bigEndian);

	/**
	 * The same message as {@code length} bytes of the frame it arrived in, from {@code offset}: valid
	 * during the call only. An engine overrides this where it can take what it needs without the whole
	 * message copied (CPG's multicasts); the default copies the message out.
	 */
	default void deliver(long nodeid, int function, byte[] buffer, int offset, int length, boolean bigEndian) {
		deliver(nodeid, function, Arrays.copyOfRange(buffer, offset, offset + length), bigEndian);
	}

	/** A transitional or regular configuration, before synchronization for it starts. */
	default void configurationChange(ConfigurationChange change) {
	}

	/**
	 * The node is about to leave the ring ({@code exec_exit_fn}): the engine may multicast a farewell.
	 * @return completes when the farewell has been delivered (the node waits a bounded time for it)
	 */
	default CompletableFuture<Void> exit() {
		return CompletableFuture.completedFuture(null);
	}

}
