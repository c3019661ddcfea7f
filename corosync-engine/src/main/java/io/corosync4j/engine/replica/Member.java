package io.corosync4j.engine.replica;

import java.util.Comparator;

/** A process in a replicated group: its node and its CPG pid, ordered by both. */
public record Member(long nodeid, long pid) implements Comparable<Member> {

	private static final Comparator<Member> ORDER = Comparator.comparingLong(Member::nodeid)
		.thenComparingLong(Member::pid);

	@Override
	public int compareTo(Member other) {
		return ORDER.compare(this, other);
	}

	@Override
	public String toString() {
		return this.nodeid + "/" + this.pid;
	}

}
