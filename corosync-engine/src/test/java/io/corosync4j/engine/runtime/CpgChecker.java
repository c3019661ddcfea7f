package io.corosync4j.engine.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;

/**
 * Virtual synchrony of one CPG group as its members saw it: every two handles put the events both saw
 * (messages and configuration changes) in the same order, and between two configuration changes both
 * saw one after the other they delivered the same messages. Live handles deliver their own messages.
 */
final class CpgChecker {

	/** One handle: everything it saw, in order. */
	final class Member {

		final String name;

		final List<String> events = new ArrayList<>();

		final Map<String, Integer> seen = new HashMap<>();

		final Set<String> accepted = new LinkedHashSet<>();

		boolean alive = true;

		Member(String name) {
			this.name = name;
		}

		private void add(String event) {
			int occurrence = this.seen.merge(event, 1, Integer::sum);
			this.events.add((occurrence == 1) ? event : event + " (" + occurrence + ")");
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

	private final List<Member> members = new ArrayList<>();

	synchronized Member joined(String name) {
		Member member = new Member(name);
		this.members.add(member);
		return member;
	}

	synchronized void stopped(Member member) {
		member.alive = false;
	}

	synchronized void accepted(Member member, DeliveryChecker.Id id) {
		member.accepted.add("M " + id);
	}

	synchronized void delivered(Member member, byte[] payload) {
		member.add("M " + DeliveryChecker.Id.of(payload));
	}

	synchronized void changed(Member member, CpgConfigurationChange change) {
		member.add("C members " + change.members() + " left " + change.left() + " joined " + change.joined());
	}

	synchronized List<String> violations() {
		List<String> violations = new ArrayList<>();
		for (Member member : this.members) {
			if (member.seen.entrySet().stream().anyMatch((e) -> e.getKey().startsWith("M ") && e.getValue() > 1)) {
				violations.add(member + " delivered a message twice");
			}
		}
		for (int i = 0; i < this.members.size(); i++) {
			for (int j = i + 1; j < this.members.size(); j++) {
				compare(this.members.get(i), this.members.get(j), violations);
			}
		}
		return violations;
	}

	private static void compare(Member a, Member b, List<String> violations) {
		// a change seen more than once by either cannot be matched by content: leave it out
		Map<String, Integer> inB = new HashMap<>();
		for (int k = 0; k < b.events.size(); k++) {
			if (b.seen.get(b.events.get(k)) != null && b.seen.get(b.events.get(k)) == 1) {
				inB.put(b.events.get(k), k);
			}
		}
		int last = -1;
		String lastEvent = null;
		List<String> common = new ArrayList<>();
		for (String event : a.events) {
			Integer at = inB.get(event);
			if (at == null || a.seen.get(event) == null || a.seen.get(event) != 1) {
				continue;
			}
			if (at < last) {
				violations.add(a + " and " + b + " saw " + lastEvent + " and " + event + " in different orders");
				return;
			}
			last = at;
			lastEvent = event;
			common.add(event);
		}
		// between two changes both saw back to back, both delivered the same messages
		List<String> commonChanges = common.stream().filter((e) -> e.startsWith("C ")).toList();
		for (int k = 0; k + 1 < commonChanges.size(); k++) {
			List<String> betweenA = between(a.events, commonChanges.get(k), commonChanges.get(k + 1));
			List<String> betweenB = between(b.events, commonChanges.get(k), commonChanges.get(k + 1));
			if (betweenA != null && betweenB != null && !betweenA.equals(betweenB)) {
				violations.add(a + " and " + b + " delivered different messages between " + commonChanges.get(k) + " and "
						+ commonChanges.get(k + 1));
			}
		}
	}

	/** The messages between two changes, or {@code null} when another change lies between them. */
	private static List<String> between(List<String> events, String from, String to) {
		int start = events.indexOf(from);
		int end = events.indexOf(to);
		List<String> messages = new ArrayList<>();
		for (int k = start + 1; k < end; k++) {
			if (events.get(k).startsWith("C ")) {
				return null;
			}
			messages.add(events.get(k));
		}
		return messages;
	}

	/** Messages and changes all handles saw, for the report. */
	synchronized int events() {
		return this.members.stream().mapToInt((member) -> member.events.size()).sum();
	}

	synchronized List<String> undeliveredOwnMessages() {
		List<String> missing = new ArrayList<>();
		for (Member member : this.members) {
			if (member.alive) {
				for (String message : member.accepted) {
					if (!member.seen.containsKey(message)) {
						missing.add(member + " " + message);
					}
				}
			}
		}
		return missing;
	}

}
