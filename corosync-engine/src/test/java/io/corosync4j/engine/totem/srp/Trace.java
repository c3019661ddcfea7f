package io.corosync4j.engine.totem.srp;

import java.util.Locale;

/**
 * The last events of a simulation run, kept cheaply (references, formatted only on failure) so that a
 * failing seed comes with a readable account of what led to it.
 */
final class Trace {

	private final long[] times;

	private final Object[] subjects;

	private final String[] kinds;

	private final Object[] details;

	private int next;

	private long total;

	Trace(int capacity) {
		this.times = new long[capacity];
		this.subjects = new Object[capacity];
		this.kinds = new String[capacity];
		this.details = new Object[capacity];
	}

	void add(long time, Object subject, String kind, Object detail) {
		int slot = this.next;
		this.times[slot] = time;
		this.subjects[slot] = subject;
		this.kinds[slot] = kind;
		this.details[slot] = detail;
		this.next = (slot + 1) % this.times.length;
		this.total++;
	}

	String format() {
		StringBuilder out = new StringBuilder();
		int count = (int) Math.min(this.total, this.times.length);
		out.append("last ").append(count).append(" of ").append(this.total).append(" events:\n");
		for (int i = 0; i < count; i++) {
			int slot = (int) ((this.total - count + i) % this.times.length);
			out.append(String.format(Locale.ROOT, "%12.6f ", this.times[slot] / 1e9)).append(this.subjects[slot])
				.append(' ').append(this.kinds[slot]).append(' ').append(this.details[slot]).append('\n');
		}
		return out.toString();
	}

}
