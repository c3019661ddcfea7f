package io.corosync4j.engine.checkpoint;

import java.util.Objects;

/**
 * One part of a {@link Checkpoint#write(java.util.List) write}: {@code data} at {@code offset} of a
 * section. The offset may be at most the section's size (no holes); the write extends the section.
 */
public record SectionWrite(SectionId section, int offset, byte[] data) {

	public SectionWrite {
		Objects.requireNonNull(section, "section");
		Objects.requireNonNull(data, "data");
	}

}
