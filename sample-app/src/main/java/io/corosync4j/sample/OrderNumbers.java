package io.corosync4j.sample;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import io.corosync4j.spring.servicegroup.ActiveStandbyService;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A stateful singleton: order numbers handed out by one instance of the cluster at a time, the active
 * unit of the service group {@code order-numbers}. Every number is written to a synchronous checkpoint
 * before it is handed out, so when the active instance dies (even {@code kill -9}) a standby takes over
 * from the last number any client received: none is repeated, none lost.
 */
@Component
class OrderNumbers implements ActiveStandbyService {

	static final String GROUP = "order-numbers";

	private static final CheckpointAttributes ATTRIBUTES = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
		.withMaxSections(1);

	private final CorosyncCheckpoints checkpoints;

	private long last;

	private @Nullable Checkpoint checkpoint;

	private volatile boolean active;

	OrderNumbers(CorosyncCheckpoints checkpoints) {
		this.checkpoints = checkpoints;
	}

	@Override
	public String getServiceGroup() {
		return GROUP;
	}

	/** A standby opens the checkpoint at once, so this instance holds a replica before the active may die. */
	@Override
	public synchronized void standby(StateChange change) {
		checkpoint();
	}

	/** Active: go on from the last number written, whoever wrote it. */
	@Override
	public synchronized void start(StateChange change) {
		byte[] stored = checkpoint().read(SectionId.DEFAULT).join();
		this.last = (stored.length == 0) ? 0 : ByteBuffer.wrap(stored).getLong();
		this.active = true;
	}

	@Override
	public void stop(StateChange change) {
		this.active = false;
	}

	/** A switchover: every number handed out is written already, so hand over at once. */
	@Override
	public void quiesce(StateChange change) {
		this.active = false;
		change.quiesced().complete(null);
	}

	boolean isActive() {
		return this.active;
	}

	/**
	 * The next order number, once every member of the ring holds it.
	 * @throws IllegalStateException if this instance is not the active one (any more)
	 */
	synchronized long next() {
		if (!this.active) {
			throw new IllegalStateException("this instance is not the active order-number service");
		}
		long number = this.last + 1;
		try {
			checkpoint().overwrite(SectionId.DEFAULT, ByteBuffer.allocate(8).putLong(number).array())
				.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// not written everywhere: the number was not handed out, and may be handed out again
			throw new IllegalStateException("order number " + number + " not checkpointed: " + ex, ex);
		}
		this.last = number;
		return number;
	}

	private Checkpoint checkpoint() {
		Checkpoint current = this.checkpoint;
		if (current == null || !current.isOpen()) {
			try {
				current = this.checkpoints.open(GROUP, ATTRIBUTES).join();
			}
			catch (CompletionException ex) {
				throw new IllegalStateException("cannot open the order-number checkpoint: " + ex.getCause(), ex);
			}
			this.checkpoint = current;
		}
		return current;
	}

}
