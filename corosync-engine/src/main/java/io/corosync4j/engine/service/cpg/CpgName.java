package io.corosync4j.engine.service.cpg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A group name ({@code mar_cpg_name_t}): up to 128 bytes, compared byte for byte. On the wire: u32
 * length, 4 bytes of padding, then 128 bytes with the name zero-filled.
 */
public final class CpgName {

	/** {@code CPG_MAX_NAME_LENGTH}. */
	public static final int MAX_LENGTH = 128;

	static final int WIRE_SIZE = 136;

	private final byte[] value;

	private CpgName(byte[] value) {
		if (value.length > MAX_LENGTH) {
			throw new IllegalArgumentException(
					"a CPG group name has at most " + MAX_LENGTH + " bytes, not " + value.length + " (CS_ERR_NAME_TOO_LONG)");
		}
		this.value = value;
	}

	public static CpgName of(String name) {
		return new CpgName(name.getBytes(StandardCharsets.UTF_8));
	}

	public static CpgName of(byte[] name) {
		return new CpgName(name.clone());
	}

	public byte[] bytes() {
		return this.value.clone();
	}

	void write(ByteBuffer out, int offset) {
		out.putInt(offset, this.value.length);
		out.put(offset + 8, this.value);
	}

	/** {@code null} when the length field is out of range. */
	static CpgName read(ByteBuffer in, int offset) {
		int length = in.getInt(offset);
		if (length < 0 || length > MAX_LENGTH) {
			return null;
		}
		byte[] name = new byte[length];
		in.get(offset + 8, name);
		return new CpgName(name);
	}

	/** Whether the name written at {@code offset} of {@code in} is this one; compares in place. */
	boolean isAt(ByteBuffer in, int offset) {
		if (in.getInt(offset) != this.value.length) {
			return false;
		}
		for (int i = 0; i < this.value.length; i++) {
			if (in.get(offset + 8 + i) != this.value[i]) {
				return false;
			}
		}
		return true;
	}

	/** Whether the length field of the name at {@code offset} of {@code in} is in range. */
	static boolean isValidAt(ByteBuffer in, int offset) {
		int length = in.getInt(offset);
		return length >= 0 && length <= MAX_LENGTH;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof CpgName name) && Arrays.equals(this.value, name.value);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.value);
	}

	@Override
	public String toString() {
		return new String(this.value, StandardCharsets.UTF_8);
	}

}
