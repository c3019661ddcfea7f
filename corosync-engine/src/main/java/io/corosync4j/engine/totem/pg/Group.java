package io.corosync4j.engine.totem.pg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A totempg group name: bytes, compared by length and content as Corosync does.
 */
public final class Group {

	/** The group of every service engine (CMAP, CFG, CPG, votequorum, …). */
	public static final Group SERVICES = new Group("a");

	/** The group of the synchronization protocol. */
	public static final Group SYNC = new Group("sync");

	/**
	 * corosync4j's own group: its nodes announce themselves here when synchronization starts. Corosync
	 * delivers nothing of a group no handle of it joined, so the announcement costs a Corosync member
	 * nothing.
	 */
	public static final Group COROSYNC4J = new Group("corosync4j");

	private final byte[] name;

	public Group(String name) {
		this(name.getBytes(StandardCharsets.UTF_8));
	}

	public Group(byte[] name) {
		if (name.length == 0 || name.length > 0xFFFF) {
			throw new IllegalArgumentException("a group name has 1 to 65535 bytes, not " + name.length);
		}
		this.name = name.clone();
	}

	int length() {
		return this.name.length;
	}

	boolean matches(byte[] bytes, int offset, int length) {
		return length == this.name.length
				&& Arrays.equals(this.name, 0, length, bytes, offset, offset + length);
	}

	byte[] bytes() {
		return this.name;
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof Group group) && Arrays.equals(this.name, group.name);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.name);
	}

	@Override
	public String toString() {
		return new String(this.name, StandardCharsets.UTF_8);
	}

}
