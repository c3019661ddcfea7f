package io.corosync4j.engine.checkpoint;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * A section's id: bytes, compared unsigned byte by byte (the order sections are listed in). The empty id
 * is the {@link #DEFAULT default section} of a checkpoint created with one section at most.
 */
public final class SectionId implements Comparable<SectionId> {

	/** The default section of a checkpoint with {@code maxSections == 1} (AIS {@code SA_CKPT_DEFAULT_SECTION_ID}). */
	public static final SectionId DEFAULT = new SectionId(new byte[0]);

	private final byte[] bytes;

	private SectionId(byte[] bytes) {
		this.bytes = bytes;
	}

	/** An id of these bytes (copied). */
	public static SectionId of(byte[] bytes) {
		return new SectionId(bytes.clone());
	}

	/** An id of this string's UTF-8 bytes. */
	public static SectionId of(String id) {
		return new SectionId(id.getBytes(StandardCharsets.UTF_8));
	}

	/** The bytes, copied. */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	public int length() {
		return this.bytes.length;
	}

	/** The bytes without a copy, for this package, which never changes them. */
	byte[] raw() {
		return this.bytes;
	}

	static SectionId wrap(byte[] bytes) {
		return new SectionId(bytes);
	}

	@Override
	public int compareTo(SectionId other) {
		return Arrays.compareUnsigned(this.bytes, other.bytes);
	}

	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof SectionId id && Arrays.equals(this.bytes, id.bytes);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes);
	}

	/** The id as text when it is printable UTF-8, else as hex. */
	@Override
	public String toString() {
		if (this.bytes.length == 0) {
			return "(default)";
		}
		String text = new String(this.bytes, StandardCharsets.UTF_8);
		boolean printable = Arrays.equals(text.getBytes(StandardCharsets.UTF_8), this.bytes)
				&& text.codePoints().noneMatch(Character::isISOControl);
		return printable ? text : "0x" + HexFormat.of().formatHex(this.bytes);
	}

}
