package io.corosync4j.engine.checkpoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.corosync4j.engine.checkpoint.CheckpointOperation.CreateSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.DeleteSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Overwrite;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Write;
import io.corosync4j.engine.checkpoint.CheckpointState.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * A handle on an open checkpoint. Changes are sent to the group and complete as the checkpoint's
 * {@link UpdateMode} says; reads are answered from this member's replica. Every future completes on the
 * service's callback thread. The handle closes with {@link #close()}, with its service, and when this
 * member drops its state (it left the primary component: the others closed its handles when it left),
 * after which calls fail with {@link CheckpointError#CLOSED}; open the checkpoint again once the
 * service {@link CheckpointService#holdsState() holds the state}. Thread-safe.
 */
public final class Checkpoint {

	private final CheckpointService service;

	final long checkpoint;

	final long handle;

	private final String name;

	private final CheckpointAttributes attributes;

	private volatile boolean open = true;

	private volatile @Nullable CheckpointError lossReason;

	Checkpoint(CheckpointService service, long checkpoint, long handle, String name, CheckpointAttributes attributes) {
		this.service = service;
		this.checkpoint = checkpoint;
		this.handle = handle;
		this.name = name;
		this.attributes = attributes;
	}

	public String name() {
		return this.name;
	}

	/** The attributes the checkpoint was created with. */
	public CheckpointAttributes attributes() {
		return this.attributes;
	}

	/** Whether the handle is open: false once closed, and once this member dropped its state. */
	public boolean isOpen() {
		return this.open;
	}

	/**
	 * Why the handle closed without {@link #close()}: {@link CheckpointError#NO_QUORUM} when this member
	 * dropped its state, {@link CheckpointError#CLOSED} when the service closed; {@code null} otherwise.
	 */
	public @Nullable CheckpointError lossReason() {
		return this.lossReason;
	}

	/**
	 * Creates a section holding {@code data}.
	 * @param expiration when every member removes it, by the coordinator's clock; {@code null}: never
	 * @return completes with the id once the section exists (for a synchronous checkpoint, once stable)
	 */
	public CompletableFuture<SectionId> createSection(SectionId id, byte[] data, @Nullable Instant expiration) {
		Objects.requireNonNull(id, "id");
		return createSection0(id, data, expiration);
	}

	/** Creates a section with an id the group generates (8 bytes, unique in the checkpoint). */
	public CompletableFuture<SectionId> createSection(byte[] data, @Nullable Instant expiration) {
		return createSection0(null, data, expiration);
	}

	private CompletableFuture<SectionId> createSection0(@Nullable SectionId id, byte[] data,
			@Nullable Instant expiration) {
		byte[] copy = data.clone();
		long at = (expiration != null) ? expiration.toEpochMilli() : CheckpointState.NEVER;
		return this.service.submit(this, "creating a section in " + this,
				(request) -> new CreateSection(request, this.checkpoint, this.handle, id, at, copy), stable(),
				copy.length, Outcome::section);
	}

	/** Deletes a section (not the default one). */
	public CompletableFuture<Void> deleteSection(SectionId id) {
		Objects.requireNonNull(id, "id");
		return this.service.submit(this, "deleting section " + id + " of " + this,
				(request) -> new DeleteSection(request, this.checkpoint, this.handle, id), stable(), 0, (outcome) -> null);
	}

	/** Writes {@code data} into a section at {@code offset} (at most its size), extending it as needed. */
	public CompletableFuture<Void> write(SectionId id, int offset, byte[] data) {
		return write(List.of(new SectionWrite(id, offset, data)));
	}

	/** Writes into several sections at once: every member applies all the parts, or none (with the reason). */
	public CompletableFuture<Void> write(List<SectionWrite> writes) {
		if (writes.isEmpty()) {
			return CompletableFuture.failedFuture(new CheckpointException(CheckpointError.INVALID, "nothing to write"));
		}
		long bytes = 0;
		List<SectionWrite> copies = new ArrayList<>(writes.size());
		for (SectionWrite part : writes) {
			if (part.offset() < 0) {
				return CompletableFuture.failedFuture(
						new CheckpointException(CheckpointError.INVALID, "offset " + part.offset() + " is negative"));
			}
			copies.add(new SectionWrite(part.section(), part.offset(), part.data().clone()));
			bytes += part.data().length;
		}
		List<SectionWrite> parts = List.copyOf(copies);
		return this.service.submit(this, "writing to " + this,
				(request) -> new Write(request, this.checkpoint, this.handle, parts), stable(), bytes, (outcome) -> null);
	}

	/** Replaces a section's data with {@code data}. */
	public CompletableFuture<Void> overwrite(SectionId id, byte[] data) {
		Objects.requireNonNull(id, "id");
		byte[] copy = data.clone();
		return this.service.submit(this, "overwriting section " + id + " of " + this,
				(request) -> new Overwrite(request, this.checkpoint, this.handle, id, copy), stable(), copy.length,
				(outcome) -> null);
	}

	/**
	 * Reads up to {@code length} bytes of a section from {@code offset}, from this member's replica: fewer
	 * if the section ends first.
	 */
	public CompletableFuture<byte[]> read(SectionId id, int offset, int length) {
		Objects.requireNonNull(id, "id");
		return this.service.read(this, "reading section " + id + " of " + this,
				(state) -> state.read(this.checkpoint, this.service.self(), this.handle, id, offset, length));
	}

	/** Reads a whole section from this member's replica. */
	public CompletableFuture<byte[]> read(SectionId id) {
		return read(id, 0, Integer.MAX_VALUE);
	}

	/** The sections that pass {@code filter}, in id order, as this member's replica has them. */
	public CompletableFuture<List<SectionDescriptor>> sections(SectionFilter filter) {
		Objects.requireNonNull(filter, "filter");
		return this.service.read(this, "listing the sections of " + this,
				(state) -> state.sections(this.checkpoint, this.service.self(), this.handle, filter));
	}

	/**
	 * Completes once everything this member sent to the checkpoint before it is applied and stable: held
	 * by every member of the ring ({@code saCkptCheckpointSynchronize}). For an asynchronous checkpoint,
	 * what makes its earlier writes survive a failure.
	 */
	public CompletableFuture<Void> synchronize() {
		return this.service.submit(this, "synchronizing " + this,
				(request) -> new Synchronize(request, this.checkpoint, this.handle), true, -1, (outcome) -> null);
	}

	/** The checkpoint as this member's replica has it. */
	public CompletableFuture<CheckpointStatus> status() {
		return this.service.read(this, "the status of " + this,
				(state) -> state.status(this.checkpoint, this.service.self(), this.handle));
	}

	/**
	 * Closes the handle: calls fail with {@link CheckpointError#CLOSED} from now on; completes when the
	 * group applied the close. When the checkpoint has no other opener its retention starts, or, if it was
	 * unlinked, it goes.
	 */
	public CompletableFuture<Void> close() {
		return this.service.close(this);
	}

	/** On the event loop: the handle is closed, by the caller ({@code null}) or for a reason. */
	void closed(@Nullable CheckpointError reason) {
		this.lossReason = reason;
		this.open = false;
	}

	private boolean stable() {
		return this.attributes.updateMode() == UpdateMode.SYNCHRONOUS;
	}

	@Override
	public String toString() {
		return "checkpoint '" + this.name + "' (handle " + this.handle + (this.open ? "" : ", closed") + ")";
	}

}
