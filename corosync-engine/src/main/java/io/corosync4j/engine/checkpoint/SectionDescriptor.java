package io.corosync4j.engine.checkpoint;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A section as the member's replica has it.
 *
 * @param id the section's id
 * @param expiration when the section expires, {@code null} for never
 * @param size the bytes it holds
 */
public record SectionDescriptor(SectionId id, @Nullable Instant expiration, int size) {
}
