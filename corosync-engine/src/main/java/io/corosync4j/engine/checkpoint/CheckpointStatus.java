package io.corosync4j.engine.checkpoint;

/**
 * A checkpoint as this member's replica has it.
 *
 * @param name its name
 * @param attributes how it was created
 * @param unlinked whether it was unlinked (its name is free; it goes when its last opener closes)
 * @param openers the handles that have it open, on every member
 * @param sections its sections
 * @param bytes the bytes of all its sections
 */
public record CheckpointStatus(String name, CheckpointAttributes attributes, boolean unlinked, int openers,
		int sections, long bytes) {
}
