package io.corosync4j.engine.totem.srp;

import java.util.List;

/**
 * The set operations of {@code totemsrp.c} on node id lists ({@code memb_set_*}): lists keep their
 * insertion order, which is the order Corosync puts on the wire, and never hold an id twice.
 */
final class Members {

	private Members() {
	}

	static void add(long nodeid, List<Long> set) {
		if (!set.contains(nodeid)) {
			set.add(nodeid);
		}
	}

	static void merge(List<Long> subset, List<Long> fullset) {
		for (Long nodeid : subset) {
			add(nodeid, fullset);
		}
	}

	static boolean subset(List<Long> subset, List<Long> fullset) {
		if (subset.size() > fullset.size()) {
			return false;
		}
		return fullset.containsAll(subset);
	}

	static boolean equal(List<Long> one, List<Long> two) {
		return one.size() == two.size() && two.containsAll(one);
	}

}
