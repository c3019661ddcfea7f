package io.corosync4j.engine.checkpoint;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What members of the checkpoint group send each other, applied by every member holding the state at
 * its point of the agreed order. Each carries the sender's request number so the sender can find its
 * caller when it sees the operation applied; operations a timer sends carry 0.
 */
sealed interface CheckpointOperation {

	long request();

	/** Opens a checkpoint, creating it when {@code attributes} are given and it does not exist. */
	record Open(long request, long handle, String name, @Nullable CheckpointAttributes attributes)
			implements CheckpointOperation {
	}

	/** Closes one handle of the sender's. */
	record Close(long request, long checkpoint, long handle) implements CheckpointOperation {
	}

	/** Frees a checkpoint's name; the checkpoint goes when its last opener closes. */
	record Unlink(long request, String name) implements CheckpointOperation {
	}

	/** Creates a section; {@code id == null}: an id the state generates. */
	record CreateSection(long request, long checkpoint, long handle, @Nullable SectionId id, long expiration,
			byte[] data) implements CheckpointOperation {
	}

	record DeleteSection(long request, long checkpoint, long handle, SectionId id) implements CheckpointOperation {
	}

	/** Writes into several sections at once: all or none. */
	record Write(long request, long checkpoint, long handle, List<SectionWrite> writes) implements CheckpointOperation {
	}

	/** Replaces a section's data. */
	record Overwrite(long request, long checkpoint, long handle, SectionId id, byte[] data)
			implements CheckpointOperation {
	}

	/** Changes nothing: a point of the order that {@link Checkpoint#synchronize()} waits to see stable. */
	record Synchronize(long request, long checkpoint, long handle) implements CheckpointOperation {
	}

	/**
	 * The coordinator's retention timer for a checkpoint without openers ran out: it goes if it still has
	 * none and nothing opened it in between ({@code generation} unchanged).
	 */
	record Retire(long request, String name, long generation) implements CheckpointOperation {
	}

	/** The coordinator's clock reached {@code now}: every section expiring at or before it goes. */
	record Expire(long request, long now) implements CheckpointOperation {
	}

}
