package io.corosync4j.engine.totem.srp;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.wire.RingId;

/**
 * Extended virtual synchrony one layer above Totem: the whole messages totempg delivers to the
 * services group, per regular configuration. Processes that install the same two regular
 * configurations one after the other must have delivered the same messages in between (in the first
 * ring and in the transitional configuration), whatever fragment chains the change cut. CPG's checker
 * cannot see this for a process that joins its group after such a message; this one sees every
 * message from the first configuration a process installs.
 */
final class TotempgChecker {

	/** One process: the regular configurations it installed and what it delivered in each. */
	final class Process {

		final String name;

		final List<RingId> rings = new ArrayList<>();

		final List<List<String>> delivered = new ArrayList<>();

		Process(String name) {
			this.name = name;
		}

		/** A listener for the services group of this process's totempg. */
		Totempg.GroupListener listener() {
			return new Totempg.GroupListener() {

				@Override
				public void deliver(long nodeid, byte[] message, boolean bigEndian) {
					deliver(nodeid, message, 0, message.length, bigEndian);
				}

				@Override
				public void deliver(long nodeid, byte[] buffer, int offset, int length, boolean bigEndian) {
					if (!Process.this.delivered.isEmpty()) {
						int hash = 1;
						for (int i = offset; i < offset + length; i++) {
							hash = 31 * hash + buffer[i];
						}
						Process.this.delivered.get(Process.this.delivered.size() - 1)
							.add(nodeid + ":" + length + ":" + Integer.toHexString(hash));
					}
				}

				@Override
				public void configurationChange(ConfigurationChange change) {
					if (change.type() == ConfigurationType.REGULAR) {
						Process.this.rings.add(change.ringId());
						Process.this.delivered.add(new ArrayList<>());
					}
				}

			};
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	private final List<Process> processes = new ArrayList<>();

	Process started(String name) {
		Process process = new Process(name);
		this.processes.add(process);
		return process;
	}

	/** Every pair of processes that moved together and delivered different messages on the way. */
	List<String> violations() {
		return violations((sender) -> true);
	}

	/** Those of {@link #violations()} in which a message of one of these senders is among the differing. */
	List<String> violations(java.util.function.LongPredicate senders) {
		List<String> violations = new ArrayList<>();
		for (int i = 0; i < this.processes.size(); i++) {
			for (int j = i + 1; j < this.processes.size(); j++) {
				compare(this.processes.get(i), this.processes.get(j), senders, violations);
			}
		}
		return violations;
	}

	private static void compare(Process a, Process b, java.util.function.LongPredicate senders, List<String> violations) {
		for (int k = 0; k + 1 < a.rings.size(); k++) {
			int at = b.rings.indexOf(a.rings.get(k));
			if (at < 0 || at + 1 >= b.rings.size() || !b.rings.get(at + 1).equals(a.rings.get(k + 1))) {
				continue;
			}
			List<String> inA = a.delivered.get(k);
			List<String> inB = b.delivered.get(at);
			if (!inA.equals(inB) && differingSenders(inA, inB).anyMatch(senders)) {
				violations.add(a + " and " + b + " moved together from ring " + a.rings.get(k) + " to "
						+ a.rings.get(k + 1) + " but delivered " + inA.size() + " and " + inB.size()
						+ " messages; first difference at " + firstDifference(inA, inB));
			}
		}
	}

	/** The senders of the messages one list has more often than the other. */
	private static java.util.stream.LongStream differingSenders(List<String> a, List<String> b) {
		java.util.Map<String, Integer> count = new java.util.HashMap<>();
		a.forEach((key) -> count.merge(key, 1, Integer::sum));
		b.forEach((key) -> count.merge(key, -1, Integer::sum));
		return count.entrySet().stream()
			.filter((entry) -> entry.getValue() != 0)
			.mapToLong((entry) -> Long.parseLong(entry.getKey().substring(0, entry.getKey().indexOf(':'))))
			.distinct();
	}

	private static int firstDifference(List<String> a, List<String> b) {
		int k = 0;
		while (k < a.size() && k < b.size() && a.get(k).equals(b.get(k))) {
			k++;
		}
		return k;
	}

}
