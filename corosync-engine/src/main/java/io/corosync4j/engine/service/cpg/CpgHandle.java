package io.corosync4j.engine.service.cpg;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * One process's membership in one group ({@code cpg_handle_t} plus {@code cpg_join}): it multicasts to
 * the group and receives what the group sees. Thread-safe; closing it leaves the group.
 */
public interface CpgHandle extends AutoCloseable {

	/** What a non-blocking send did. */
	enum SendResult {

		/** Queued; it will be delivered in agreed order. */
		OK,

		/** The send queue is full ({@code CS_ERR_TRY_AGAIN}): try again later. */
		TRY_AGAIN

	}

	CpgName group();

	/** This handle's process id, unique on its node. */
	long pid();

	/** This handle's node. */
	long nodeId();

	/** Completes when the group delivered this handle's own join. */
	CompletionStage<Void> joined();

	/**
	 * Multicasts a message without waiting; messages larger than {@link CpgService#MAX_ATOMIC_SIZE} are
	 * sent in pieces and delivered whole.
	 * @throws IllegalStateException when the handle has left the group
	 */
	SendResult mcast(byte[] message);

	/**
	 * Multicasts a message, waiting up to {@code timeout} for room in the send queue.
	 * @return false when there was no room in time
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean mcast(byte[] message, Duration timeout) throws InterruptedException;

	/** The group's members as of the last configuration change this handle received. */
	List<CpgAddress> membership();

	/** Leaves the group; completes when the group delivered the leave. */
	CompletionStage<Void> leave();

	/**
	 * Leaves the group as a process that ended without leaving: the members see it go with
	 * {@link CpgReason#PROCDOWN}, as Corosync reports a libcpg client that exited or finalized while
	 * joined. Completes when the group delivered the leave.
	 */
	CompletionStage<Void> processDown();

	/** Leaves the group, without waiting for the leave to be delivered. */
	@Override
	void close();

}
