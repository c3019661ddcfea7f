package io.corosync4j.engine.config;

/**
 * The value types of Corosync's CMAP, with the short names {@code corosync-cmapctl} prints.
 */
public enum ValueType {

	INT8("i8", -128L, 127L),
	UINT8("u8", 0L, 255L),
	INT16("i16", -32768L, 32767L),
	UINT16("u16", 0L, 65535L),
	INT32("i32", Integer.MIN_VALUE, Integer.MAX_VALUE),
	UINT32("u32", 0L, 4294967295L),
	INT64("i64", Long.MIN_VALUE, Long.MAX_VALUE),
	/** Unsigned 64 bits, held in a {@code long} with unsigned semantics. */
	UINT64("u64", 0L, -1L),
	FLOAT("flt", 0, 0),
	DOUBLE("dbl", 0, 0),
	STRING("str", 0, 0),
	BINARY("bin", 0, 0);

	private final String cmapName;

	private final long min;

	private final long max;

	ValueType(String cmapName, long min, long max) {
		this.cmapName = cmapName;
		this.min = min;
		this.max = max;
	}

	/** The name {@code corosync-cmapctl} uses, such as {@code u32} or {@code str}. */
	public String cmapName() {
		return this.cmapName;
	}

	public boolean isInteger() {
		return ordinal() <= UINT64.ordinal();
	}

	/** Smallest value of an integer type. */
	public long min() {
		return this.min;
	}

	/** Largest value of an integer type ({@code -1} stands for 2^64-1 with {@link #UINT64}). */
	public long max() {
		return this.max;
	}

}
