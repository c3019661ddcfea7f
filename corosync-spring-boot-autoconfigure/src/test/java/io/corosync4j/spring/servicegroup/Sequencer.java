package io.corosync4j.spring.servicegroup;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The active/standby example of {@code docs/spring-boot.md}; {@link ActiveStandbyTests} runs it on three
 * members: numbers handed out on one member at a time, none repeated or skipped across a switchover,
 * the active's shutdown or the crash of its node.
 */
// tag::sequencer[]
@Component
class Sequencer implements ActiveStandbyService {

	private static final CheckpointAttributes ATTRIBUTES = CheckpointAttributes.of(UpdateMode.SYNCHRONOUS)
		.withMaxSections(1);                          // just the default section, created with the checkpoint

	private final CorosyncCheckpoints checkpoints;

	private final AtomicLong last = new AtomicLong();

	private volatile @Nullable Checkpoint checkpoint;

	private volatile boolean active;

	Sequencer(CorosyncCheckpoints checkpoints) {
		this.checkpoints = checkpoints;
	}

	@Override
	public String getServiceGroup() {
		return "sequencer";                           // one unit of this group per member; one active
	}

	@Override
	public void standby(StateChange change) {         // keep a replica here before the active may crash
		checkpoint();
	}

	@Override
	public void start(StateChange change) {           // active: go on where the last active stopped
		byte[] stored = checkpoint().read(SectionId.DEFAULT).join();
		this.last.set((stored.length == 0) ? 0 : ByteBuffer.wrap(stored).getLong());
		this.active = true;
	}

	long next() {                                     // acknowledged once every member holds it
		if (!this.active) {
			throw new IllegalStateException("not the active sequencer");
		}
		long number = this.last.incrementAndGet();
		checkpoint().overwrite(SectionId.DEFAULT, ByteBuffer.allocate(8).putLong(number).array()).join();
		return number;
	}

	@Override
	public void quiesce(StateChange change) {         // a switchover: last checkpoint, then hand over
		this.active = false;
		checkpoint().overwrite(SectionId.DEFAULT, ByteBuffer.allocate(8).putLong(this.last.get()).array())
			.whenComplete((written, failure) -> change.quiesced().complete(null));
	}

	@Override
	public void stop(StateChange change) {            // failed, withdrawn or out of the primary component
		this.active = false;
	}

	private Checkpoint checkpoint() {                 // opened once, again after losing quorum closed it
		Checkpoint current = this.checkpoint;
		if (current == null || !current.isOpen()) {
			current = this.checkpoints.open("sequencer", ATTRIBUTES).join();
			this.checkpoint = current;
		}
		return current;
	}

}
// end::sequencer[]
