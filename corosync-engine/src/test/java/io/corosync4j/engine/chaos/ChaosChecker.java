package io.corosync4j.engine.chaos;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.corosync4j.engine.chaos.ChaosLog.Address;
import io.corosync4j.engine.chaos.ChaosLog.Senders;
import io.corosync4j.engine.chaos.ChaosLog.View;
import org.jspecify.annotations.Nullable;

/**
 * The rules a CPG group keeps, checked over the logs of every client process of a run:
 * <ul>
 * <li>{@link Kind#ORDER}: any two processes deliver the messages both delivered in the same order;</li>
 * <li>{@link Kind#DUPLICATE}: no process delivers a message twice;</li>
 * <li>{@link Kind#FIFO}: a process delivers each sender's messages in the order they were sent;</li>
 * <li>{@link Kind#GAP}: within one configuration that the sender stays in, a process skips none of that
 * sender's messages;</li>
 * <li>{@link Kind#SYNCHRONY}: processes that move together from one configuration to the next delivered
 * the same messages in it, and so did the live processes in the final configuration;</li>
 * <li>{@link Kind#VIEWS}: a process that another saw move with it from one configuration to the next saw
 * that change too, at the same place of the order (unless either log ends there: a process killed at that
 * moment);</li>
 * <li>{@link Kind#SELF}: a process alive at the end delivered all its own messages;</li>
 * <li>{@link Kind#LIVENESS}: at the end every node has one live process, all of them in one configuration
 * with all of them, each delivering new messages of every other in it, and the same ones;</li>
 * <li>{@link Kind#CORRUPT}: no message is delivered with other bytes than were sent.</li>
 * </ul>
 * Two changes seen by two processes are the same change when their member, left and joined lists are equal
 * and they sit at the same place of the order the two agree on (the messages both delivered around it), or,
 * when the messages place it nowhere, the same lists logged within ten seconds.
 */
public final class ChaosChecker {

	/** What rule a violation breaks. */
	public enum Kind {

		ORDER, DUPLICATE, FIFO, GAP, SYNCHRONY, VIEWS, SELF, LIVENESS, CORRUPT

	}

	/**
	 * One broken rule.
	 *
	 * @param kind the rule
	 * @param differing the processes whose deliveries differ from the others' (for {@link Kind#SYNCHRONY}
	 * the minority; for the single-process rules the process)
	 * @param differingImpls their implementations
	 * @param againstCorosync for {@link Kind#SYNCHRONY} in a group with Corosync processes that agree among
	 * themselves: the corosync4j processes that delivered something else than they did (whatever the
	 * majority), else empty
	 * @param text what happened, with enough context to find it in the logs
	 * @param senderImpls for {@link Kind#SYNCHRONY}: the implementations of the processes that sent the
	 * messages some delivered and others not (a Corosync sender's cut message shows Corosync's own rule),
	 * else empty
	 */
	public record Violation(Kind kind, List<String> differing, Set<String> differingImpls, List<String> againstCorosync,
			String text, Set<String> senderImpls) {

		@Override
		public String toString() {
			return this.kind + ": " + this.text;
		}

	}

	/** Everything found. */
	public record Report(List<Violation> violations, long deliveries, int processes, int changes,
			int transitionsCompared, int transitionsUnmatched, List<String> unmatchedExamples) {

		public Map<Kind, Integer> byKind() {
			Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
			for (Violation violation : this.violations) {
				counts.merge(violation.kind(), 1, Integer::sum);
			}
			return counts;
		}

		/** Violations in which a process of implementation {@code impl} is one that differs. */
		public long differingIn(String impl) {
			return this.violations.stream().filter((v) -> v.differingImpls().contains(impl)).count();
		}

		/**
		 * Violations in which a corosync4j process delivered something else than the Corosync processes beside
		 * it, which agreed among themselves (whoever has the majority).
		 */
		public long againstCorosync() {
			return this.violations.stream().filter((v) -> !v.againstCorosync().isEmpty()).count();
		}

		/**
		 * {@link Kind#SYNCHRONY} violations in which messages of a process of implementation {@code impl} are
		 * among those some delivered and others not.
		 */
		public long messagesOf(String impl) {
			return this.violations.stream()
				.filter((v) -> v.kind() == Kind.SYNCHRONY && v.senderImpls().contains(impl))
				.count();
		}

		/** Violations in which only processes of implementation {@code impl} differ. */
		public long differingOnlyIn(String impl) {
			return this.violations.stream().filter((v) -> v.differingImpls().equals(Set.of(impl))).count();
		}

		public String summary() {
			return this.violations.size() + " violations " + byKind() + "; " + this.deliveries + " deliveries by "
					+ this.processes + " processes, " + this.changes + " configuration changes, "
					+ this.transitionsCompared + " transitions compared (" + this.transitionsUnmatched + " unmatched)";
		}

	}

	private static final int EXAMPLES = 6;

	/** How far apart in time two processes may log the same change (ms) when nothing else places it. */
	private final long near;

	private final List<ChaosLog> logs;

	private final Senders senders;

	private final Map<Address, ChaosLog> byAddress = new HashMap<>();

	/** Node ids that must each have one process alive at the end, or empty not to check liveness. */
	private final Set<Long> nodes;

	private final List<Violation> violations = new ArrayList<>();

	private int compared;

	private int unmatched;

	private final List<String> unmatchedExamples = new ArrayList<>();

	private List<RecoveryTrace.EarlyFree> earlyFrees = List.of();

	public ChaosChecker(List<ChaosLog> logs, Senders senders, Set<Long> nodes) {
		this(logs, senders, nodes, 10_000);
	}

	/**
	 * @param near how far apart in time two processes may log the same change when the messages do not
	 * place it (10 s for real processes; 0 for logs whose clock counts events)
	 */
	public ChaosChecker(List<ChaosLog> logs, Senders senders, Set<Long> nodes, long near) {
		this.near = near;
		this.logs = List.copyOf(logs);
		this.senders = senders;
		this.nodes = Set.copyOf(nodes);
		for (ChaosLog log : logs) {
			this.byAddress.put(log.self, log);
		}
	}

	/**
	 * The nodes' recoveries that re-sent fewer messages than they had received ({@link RecoveryTrace}): where
	 * processes that moved together delivered nested sets and a Corosync daemon of their configuration, after
	 * a Corosync daemon in the ring, had freed messages then, nobody could re-send what the others miss, and
	 * that daemon is the one named (Corosync's own early free, docs/compatibility.md).
	 */
	public ChaosChecker withEarlyFrees(List<RecoveryTrace.EarlyFree> frees) {
		this.earlyFrees = List.copyOf(frees);
		return this;
	}

	/**
	 * Checks the logs of a run again: {@code ChaosChecker DIR} with DIR a run's directory (or its
	 * {@code logs}); prints the summary and every violation.
	 */
	public static void main(String[] args) throws java.io.IOException {
		java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
		if (java.nio.file.Files.isDirectory(dir.resolve("logs"))) {
			dir = dir.resolve("logs");
		}
		Senders senders = new Senders();
		List<ChaosLog> logs = new ArrayList<>();
		Set<Long> nodes = new java.util.TreeSet<>();
		try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(dir)) {
			for (java.nio.file.Path file : files.filter((f) -> f.toString().endsWith(".log")).sorted().toList()) {
				ChaosLog log = ChaosLog.read(file, senders);
				if (log.self.nodeid() == 0) {
					// killed before it wrote its first line
					continue;
				}
				logs.add(log);
				nodes.add(log.self.nodeid());
			}
		}
		long runStart = logs.stream().mapToLong((log) -> log.startTime).min().orElse(0);
		Report report = new ChaosChecker(logs, senders, nodes)
			.withEarlyFrees(RecoveryTrace.read(dir.getParent(), runStart))
			.check();
		System.out.println(report.summary());
		report.violations().forEach((v) -> System.out.println("- " + v.kind() + " [senders: " + v.senderImpls() + "] [differing: " + v.differingImpls()
				+ "] " + v.text()));
		report.unmatchedExamples().forEach((u) -> System.out.println("unmatched: " + u));
	}

	public Report check() {
		this.violations.clear();
		for (ChaosLog log : this.logs) {
			corrupt(log);
			ghosts(log);
			duplicatesAndFifo(log);
			gaps(log);
		}
		reportGaps();
		for (int i = 0; i < this.logs.size(); i++) {
			for (int j = i + 1; j < this.logs.size(); j++) {
				order(this.logs.get(i), this.logs.get(j));
			}
		}
		synchrony();
		for (ChaosLog log : this.logs) {
			self(log);
		}
		if (!this.nodes.isEmpty()) {
			liveness();
		}
		long deliveries = this.logs.stream().mapToLong(ChaosLog::delivered).sum();
		int changes = this.logs.stream().mapToInt((log) -> log.views.size()).sum();
		return new Report(List.copyOf(this.violations), deliveries, this.logs.size(), changes, this.compared,
				this.unmatched, List.copyOf(this.unmatchedExamples));
	}

	private void add(Kind kind, List<ChaosLog> differing, String text) {
		add(kind, differing, List.of(), text);
	}

	private void add(Kind kind, List<ChaosLog> differing, List<ChaosLog> againstCorosync, String text) {
		add(kind, differing, againstCorosync, text, Set.of());
	}

	private void add(Kind kind, List<ChaosLog> differing, List<ChaosLog> againstCorosync, String text,
			Set<String> senderImpls) {
		Set<String> impls = new LinkedHashSet<>();
		for (ChaosLog log : differing) {
			impls.add(log.impl);
		}
		this.violations.add(new Violation(kind, differing.stream().map(ChaosLog::toString).toList(), impls,
				againstCorosync.stream().map(ChaosLog::toString).toList(), text, Set.copyOf(senderImpls)));
	}

	/** The implementations of the senders of the messages in one of the sorted sets and not the other. */
	private Set<String> senderImpls(long[] a, long[] b) {
		Set<Integer> senders = new java.util.TreeSet<>();
		collectSenders(a, b, senders);
		collectSenders(b, a, senders);
		Set<String> impls = new java.util.TreeSet<>();
		for (int sender : senders) {
			Address address = this.senders.address(sender);
			this.logs.stream().filter((log) -> log.self.equals(address)).findFirst()
				.ifPresent((log) -> impls.add(log.impl));
		}
		return impls;
	}

	private static void collectSenders(long[] a, long[] b, Set<Integer> senders) {
		int j = 0;
		for (long id : a) {
			while (j < b.length && b[j] < id) {
				j++;
			}
			if (j >= b.length || b[j] != id) {
				senders.add(Senders.sender(id));
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// one process

	private void corrupt(ChaosLog log) {
		if (!log.bad.isEmpty()) {
			add(Kind.CORRUPT, List.of(log), log + " delivered " + log.bad.size() + " messages whose bytes do not match "
					+ "their header, first " + log.bad.get(0));
		}
	}

	/**
	 * A process can be a member only while its node is in the ring: a view that lists one whose node is not
	 * in the Totem configuration the view belongs to shows a process that is not there (Corosync revives
	 * one from a joinlist of an aborted synchronization).
	 */
	private void ghosts(ChaosLog log) {
		Set<String> reported = new java.util.HashSet<>();
		for (int k = 0; k < log.views.size(); k++) {
			List<Address> ghosts = ghostsIn(log, k);
			ChaosLog.Ring ring = log.ringOf(k);
			if (!ghosts.isEmpty() && ring != null && reported.add(ring.id() + ghosts)) {
				add(Kind.VIEWS, List.of(log), log + " view " + k + " " + log.views.get(k) + " lists " + ghosts
						+ ", whose node is not in ring " + ring.id() + " " + ring.members());
			}
		}
	}

	/** The members of view {@code k} whose node is not in the Totem configuration it belongs to. */
	private static List<Address> ghostsIn(ChaosLog log, int k) {
		ChaosLog.Ring ring = log.ringOf(k);
		if (ring == null) {
			return List.of();
		}
		return log.views.get(k).members().stream().filter((m) -> !ring.members().contains(m.nodeid())).toList();
	}

	private void duplicatesAndFifo(ChaosLog log) {
		Map<Integer, Long> last = new HashMap<>();
		Map<Integer, Integer> lastAt = new HashMap<>();
		Map<Integer, List<String>> reordered = new TreeMap<>();
		Map<Integer, Integer> reorderedCount = new TreeMap<>();
		for (int i = 0; i < log.delivered(); i++) {
			long id = log.delivery(i);
			int sender = Senders.sender(id);
			Long previous = last.get(sender);
			if (previous != null && Senders.seq(id) <= previous && Senders.seq(id) != previous) {
				reorderedCount.merge(sender, 1, Integer::sum);
				List<String> examples = reordered.computeIfAbsent(sender, (k) -> new ArrayList<>());
				if (examples.size() < EXAMPLES) {
					examples.add("#" + Senders.seq(id) + " at delivery " + i + " (view " + log.viewOf(i) + ", ~"
							+ ChaosLog.clock(log.timeOf(i)) + ") after #" + previous + " at " + lastAt.get(sender));
				}
			}
			if (previous == null || Senders.seq(id) > previous) {
				last.put(sender, Senders.seq(id));
				lastAt.put(sender, i);
			}
		}
		for (Map.Entry<Integer, Integer> entry : reorderedCount.entrySet()) {
			add(Kind.FIFO, List.of(log), log + " delivered " + entry.getValue() + " messages of "
					+ this.senders.address(entry.getKey()) + " after a later one of the same sender: "
					+ String.join("; ", reordered.get(entry.getKey())));
		}
		for (int sender : log.senders()) {
			long[] seqs = log.sortedSeqs(sender);
			int twice = 0;
			List<Long> examples = new ArrayList<>();
			for (int k = 1; k < seqs.length; k++) {
				if (seqs[k] == seqs[k - 1]) {
					twice++;
					if (examples.size() < EXAMPLES) {
						examples.add(seqs[k]);
					}
				}
			}
			if (twice > 0) {
				add(Kind.DUPLICATE, List.of(log), log + " delivered " + twice + " messages of "
						+ this.senders.address(sender) + " more than once, e.g. #" + examples);
			}
		}
	}

	/** Skipped messages, the same skips of several processes reported once. */
	private final Map<String, List<ChaosLog>> gaps = new LinkedHashMap<>();

	private final Map<String, String> gapTexts = new HashMap<>();

	private final Map<String, Address> gapSenders = new HashMap<>();

	private void gaps(ChaosLog log) {
		for (View view : log.views) {
			int end = log.end(view.index());
			Map<Integer, Long> last = new HashMap<>();
			Map<Integer, List<Long>> missing = new TreeMap<>();
			for (int i = view.start(); i < end; i++) {
				long id = log.delivery(i);
				int sender = Senders.sender(id);
				if (!view.contains(this.senders.address(sender))) {
					continue;
				}
				Long previous = last.put(sender, Senders.seq(id));
				if (previous != null && Senders.seq(id) > previous + 1) {
					List<Long> seqs = missing.computeIfAbsent(sender, (k) -> new ArrayList<>());
					for (long seq = previous + 1; seq < Senders.seq(id); seq++) {
						seqs.add(seq);
					}
				}
			}
			for (Map.Entry<Integer, List<Long>> entry : missing.entrySet()) {
				String what = entry.getValue().size() + " messages of " + this.senders.address(entry.getKey()) + " ("
						+ runs(entry.getValue()) + ")";
				this.gaps.computeIfAbsent(what, (k) -> new ArrayList<>()).add(log);
				this.gapSenders.put(what, this.senders.address(entry.getKey()));
				this.gapTexts.merge(what, log + " in view " + view.index() + " " + view, (a, b) -> a + "; " + b);
			}
		}
	}

	/**
	 * One violation per skip. When the sender skipped its own messages too, they were lost for everyone:
	 * the sender is the one that differs; otherwise the processes that skipped them are.
	 */
	private void reportGaps() {
		for (Map.Entry<String, List<ChaosLog>> gap : this.gaps.entrySet()) {
			List<ChaosLog> skipped = gap.getValue();
			Address sender = this.gapSenders.get(gap.getKey());
			ChaosLog own = this.byAddress.get(sender);
			boolean lost = own != null && skipped.contains(own);
			add(Kind.GAP, lost ? List.of(own) : skipped, skipped.size() + " processes skipped " + gap.getKey()
					+ " within a view that sender stayed in" + (lost ? " (the sender too: lost for everyone)" : "") + ": "
					+ this.gapTexts.get(gap.getKey()));
		}
		this.gaps.clear();
		this.gapTexts.clear();
		this.gapSenders.clear();
	}

	private void self(ChaosLog log) {
		if (!log.ended || log.finalSent <= 0) {
			return;
		}
		long[] own = log.sortedSeqs(this.senders.number(log.self));
		List<String> runs = missingRuns(own, 1, log.finalSent);
		if (!runs.isEmpty()) {
			long count = runs.stream().mapToLong((r) -> Long.parseLong(r.substring(0, r.indexOf(' ')))).sum();
			add(Kind.SELF, List.of(log), log + " is alive and sent " + log.finalSent + " messages but never delivered "
					+ count + " of them: " + runs.stream().limit(EXAMPLES).map((r) -> r.substring(r.indexOf(' ') + 1))
						.collect(Collectors.joining(", ")));
		}
	}

	/** Runs of numbers in [from, to] not in {@code sorted}, as "count #a-b". */
	private static List<String> missingRuns(long[] sorted, long from, long to) {
		List<String> runs = new ArrayList<>();
		long next = from;
		for (long seq : sorted) {
			if (seq < next) {
				continue;
			}
			if (seq > to) {
				break;
			}
			if (seq > next) {
				runs.add((seq - next) + " #" + next + "-" + (seq - 1));
			}
			next = seq + 1;
		}
		if (next <= to) {
			runs.add((to - next + 1) + " #" + next + "-" + to);
		}
		return runs;
	}

	// ---------------------------------------------------------------------------------------------
	// two processes

	private void order(ChaosLog a, ChaosLog b) {
		if (a.delivered() == 0 || b.delivered() == 0) {
			return;
		}
		int previous = -1;
		long previousId = 0;
		int inversions = 0;
		int common = 0;
		String first = null;
		for (int i = 0; i < a.delivered(); i++) {
			long id = a.delivery(i);
			int at = b.position(id);
			if (at < 0) {
				continue;
			}
			common++;
			if (at < previous) {
				inversions++;
				if (first == null) {
					first = this.senders.describe(previousId) + " then " + this.senders.describe(id) + " at " + a
							+ "'s delivery " + i + " (~" + ChaosLog.clock(a.timeOf(i)) + "), the other way round at " + b
							+ "'s deliveries " + at + "/" + previous + " (~" + ChaosLog.clock(b.timeOf(at)) + ")";
				}
			}
			else {
				previous = at;
				previousId = id;
			}
		}
		if (inversions > 0) {
			add(Kind.ORDER, List.of(a, b), a + " and " + b + " ordered " + inversions + " of their " + common
					+ " common messages differently; first: " + first);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// virtual synchrony: transitions matched across processes

	/** Transition {@code k} of a log: from its view k to view k + 1. */
	private record Transition(ChaosLog log, int k) {

		View from() {
			return this.log.views.get(this.k);
		}

		View to() {
			return this.log.views.get(this.k + 1);
		}

		/**
		 * The configuration it leaves, by its members (processes that arrive in it from different sides of a
		 * merge see different joined lists), and the change that ends it, whole.
		 */
		String key() {
			return from().members() + " -> " + to().content();
		}

	}

	private void synchrony() {
		Map<ChaosLog, Map<String, List<Integer>>> byKey = new HashMap<>();
		List<Transition> all = new ArrayList<>();
		Map<Transition, Integer> number = new HashMap<>();
		for (ChaosLog log : this.logs) {
			Map<String, List<Integer>> keys = new HashMap<>();
			for (int k = 0; k + 1 < log.views.size(); k++) {
				Transition t = new Transition(log, k);
				keys.computeIfAbsent(t.key(), (x) -> new ArrayList<>()).add(k);
				number.put(t, all.size());
				all.add(t);
			}
			byKey.put(log, keys);
		}
		int[] parent = new int[all.size()];
		for (int i = 0; i < parent.length; i++) {
			parent[i] = i;
		}
		// the same disagreement seen from either side is reported once
		Set<List<Object>> reportedViews = new java.util.HashSet<>();
		List<int[]> matches = new ArrayList<>();
		for (Transition t : all) {
			if (!t.from().contains(t.log.self) || !t.to().contains(t.log.self)) {
				continue;
			}
			List<ChaosLog> unaware = new ArrayList<>();
			List<ChaosLog> misplaced = new ArrayList<>();
			List<String> theirs = new ArrayList<>();
			// who differs, and why (see judge)
			Set<ChaosLog> differing = new LinkedHashSet<>();
			List<String> hiding = new ArrayList<>();
			for (Address other : t.from().members()) {
				ChaosLog q = this.byAddress.get(other);
				if (other.equals(t.log.self) || q == null || !t.to().contains(other)) {
					continue;
				}
				List<Integer> candidates = byKey.get(q).getOrDefault(t.key(), List.of());
				Match match = match(t, q, candidates);
				if (match != null) {
					matches.add(new int[] { match.strength(), number.get(t), number.get(new Transition(q, match.j())) });
				}
				else if (candidates.isEmpty() && continuesPast(q, t.to().time()) && continuesPast(t.log, t.to().time())
						&& reportedViews.add(List.of(Set.of(t.log, q), t.from().members(), t.to().members()))
						&& judge(t, q, differing, hiding)) {
					unaware.add(q);
					theirs.add(q + ": " + around(q, t.to().time()));
				}
				else if (!candidates.isEmpty()) {
					this.unmatched++;
					String where = q + " has " + candidates.size() + " changes with these lists (" + candidates.stream()
						.map((j) -> "view " + (j + 1) + " at " + ChaosLog.clock(q.views.get(j + 1).time()))
						.collect(Collectors.joining(", ")) + "), none placed there by the messages both delivered";
					if (this.unmatchedExamples.size() < 20) {
						this.unmatchedExamples.add(t.log + " view " + t.k + " " + t.from() + " -> " + t.to() + ": " + where);
					}
					if (continuesPast(q, t.to().time()) && continuesPast(t.log, t.to().time())
							&& reportedViews.add(List.of(Set.of(t.log, q), t.from().members(), t.to().members()))
							&& judge(t, q, differing, hiding)) {
						misplaced.add(q);
						theirs.add(where);
					}
				}
			}
			if (!unaware.isEmpty() || !misplaced.isEmpty()) {
				add(Kind.VIEWS, List.copyOf(differing), t.log + " moved from view " + t.k + " " + t.from() + " to " + t.to()
						+ " with " + (unaware.isEmpty() ? "" : unaware + ", which never saw that change")
						+ (unaware.isEmpty() || misplaced.isEmpty() ? "" : ", and with ")
						+ (misplaced.isEmpty() ? "" : misplaced + ", which saw it at another place of the order")
						+ (hiding.isEmpty() ? "" : "; " + String.join("; ", hiding))
						+ "; theirs: " + String.join(" | ", theirs));
			}
		}
		// the surest matches first; a group never holds two transitions of one process
		matches.sort(Comparator.comparingInt((int[] m) -> -m[0]));
		Map<Integer, Set<ChaosLog>> members = new HashMap<>();
		for (int[] m : matches) {
			int a = find(parent, m[1]);
			int b = find(parent, m[2]);
			if (a == b) {
				continue;
			}
			Set<ChaosLog> inA = members.computeIfAbsent(a, (x) -> new LinkedHashSet<>(List.of(all.get(x).log)));
			Set<ChaosLog> inB = members.computeIfAbsent(b, (x) -> new LinkedHashSet<>(List.of(all.get(x).log)));
			if (inA.stream().anyMatch(inB::contains)) {
				this.unmatched++;
				continue;
			}
			parent[a] = b;
			inB.addAll(inA);
			members.remove(a);
		}
		Map<Integer, List<Transition>> groups = new LinkedHashMap<>();
		for (int i = 0; i < all.size(); i++) {
			groups.computeIfAbsent(find(parent, i), (x) -> new ArrayList<>()).add(all.get(i));
		}
		for (List<Transition> group : groups.values()) {
			if (group.size() > 1) {
				this.compared++;
				compareSets(group, (a, b) -> a.k > 0 && b.k > 0
						&& find(parent, number.get(new Transition(a.log, a.k - 1))) == find(parent,
								number.get(new Transition(b.log, b.k - 1))));
			}
		}
	}

	/**
	 * Whether {@code q} logged something well after {@code time}, so it lived on past that change (a process
	 * killed then, or one that ended at the run's end right then, may not have seen it).
	 */
	private static boolean continuesPast(ChaosLog q, long time) {
		return q.lastTime > time + 2000;
	}

	/**
	 * Whether {@code q}, which did not report {@code t} where {@code t}'s process did, disagrees with it, and
	 * if so who differs. Their changes are compared over the same stretch of the order, between the last
	 * message both delivered before {@code t} and the first both delivered after it: each reports who moved
	 * on with it (the members it never reports gone), and two such groups must be the same or apart. Of two
	 * that overlap, the larger hides a separation the other reported; of two that are the same, the one whose
	 * reason for a departure is not what happened differs (the same from configurations an earlier change made
	 * different is judged at that change). Where the same changes brought both to the configuration {@code t}
	 * leaves, the groups are taken from there on (a member that joined both earlier in the stretch counts); a
	 * change reporting nobody gone after the two went different ways earlier in the stretch is judged at that
	 * earlier change; changes both made last, after {@code t}, with no message between, end the stretch
	 * before them. {@code q} reporting no change over that stretch
	 * had every member of its configuration there move on with it. Where no message places it, {@code q}'s
	 * change nearest in time stands in; where nothing decides, both differ.
	 */
	private boolean judge(Transition t, ChaosLog q, Set<ChaosLog> differing, List<String> why) {
		ChaosLog p = t.log;
		@Nullable Spans spans = spans(t, q);
		List<Transition> mine;
		List<Transition> theirs;
		if (spans != null && spans.theirs().isEmpty()) {
			Set<Address> known = new LinkedHashSet<>(spans.mine().get(0).from().members());
			known.retainAll(spans.theirView().members());
			Set<Address> withMe = movedOn(spans.mine(), known);
			if (known.containsAll(withMe) && !withMe.containsAll(known)) {
				differing.add(q);
				why.add(q + " has " + minus(known, withMe) + " move on with it (no change there), whom " + p
						+ " reported gone");
				return true;
			}
			// p reports nobody q had gone: parting and meeting again is never wrong by itself
			return false;
		}
		if (spans != null) {
			mine = spans.mine();
			theirs = spans.theirs();
			// where the same changes brought both to the configuration t leaves, who moved on is judged from
			// there, so members that joined earlier in the stretch count too
			int here = mine.indexOf(t);
			if (here > 0 && theirs.size() > here && sameChanges(mine.subList(0, here), theirs)) {
				mine = mine.subList(here, mine.size());
				theirs = theirs.subList(here, theirs.size());
			}
			else if (here > 0 && t.to().members().containsAll(t.from().members())) {
				// nobody gone here: the two went different ways at an earlier change of the stretch, judged there
				return false;
			}
			// a change both made last, after t, ends the stretch where they differ (no message between)
			int after = mine.indexOf(t);
			while (after >= 0 && mine.size() > after + 1 && !theirs.isEmpty()
					&& sameChanges(mine.subList(mine.size() - 1, mine.size()), theirs.subList(theirs.size() - 1, theirs.size()))) {
				mine = mine.subList(0, mine.size() - 1);
				theirs = theirs.subList(0, theirs.size() - 1);
			}
		}
		else {
			Transition nearest = counterpart(t, q);
			if (nearest == null) {
				differing.add(p);
				differing.add(q);
				return true;
			}
			mine = backToBack(t);
			theirs = backToBack(nearest);
		}
		// a side that lists a process whose node is not in its ring is wrong whatever else it reports
		boolean ghostHere = mine.stream()
			.anyMatch((c) -> !ghostsIn(c.log, c.k).isEmpty() || !ghostsIn(c.log, c.k + 1).isEmpty());
		boolean ghostThere = theirs.stream()
			.anyMatch((c) -> !ghostsIn(c.log, c.k).isEmpty() || !ghostsIn(c.log, c.k + 1).isEmpty());
		if (ghostHere != ghostThere) {
			ChaosLog wrong = ghostHere ? p : q;
			differing.add(wrong);
			why.add(wrong + " lists a process whose node is not in its ring");
			return true;
		}
		Set<Address> known = new LinkedHashSet<>(mine.get(0).from().members());
		known.retainAll(theirs.get(0).from().members());
		Set<Address> withMe = movedOn(mine, known);
		Set<Address> withThem = movedOn(theirs, known);
		if (withMe.stream().noneMatch(withThem::contains)) {
			// they parted, and both say so
			return false;
		}
		if (withMe.containsAll(withThem) && !withThem.containsAll(withMe)) {
			differing.add(p);
			why.add(p + " has " + minus(withMe, withThem) + " move on with it, whom " + q + " reported gone");
			return true;
		}
		if (withThem.containsAll(withMe) && !withMe.containsAll(withThem)) {
			differing.add(q);
			why.add(q + " has " + minus(withThem, withMe) + " move on with it, whom " + p + " reported gone");
			return true;
		}
		if (withMe.equals(withThem)) {
			List<String> wrongHere = wrongReasons(mine);
			List<String> wrongThere = wrongReasons(theirs);
			if (!wrongHere.isEmpty()) {
				differing.add(p);
				why.add(p + " gives the wrong reason for " + wrongHere);
			}
			if (!wrongThere.isEmpty()) {
				differing.add(q);
				why.add(q + " gives the wrong reason for " + wrongThere);
			}
			if (!wrongHere.isEmpty() || !wrongThere.isEmpty()) {
				return true;
			}
			if (!mine.get(0).from().members().equals(theirs.get(0).from().members())) {
				// the same members moved on with each, from configurations an earlier change made different:
				// that change is where they disagree, and it is judged there
				return false;
			}
		}
		differing.add(p);
		differing.add(q);
		return true;
	}

	/** Whether {@code span} starts with changes between configurations of the same members as {@code first}. */
	private static boolean sameChanges(List<Transition> first, List<Transition> span) {
		if (span.size() < first.size()) {
			return false;
		}
		for (int i = 0; i < first.size(); i++) {
			if (!first.get(i).from().members().equals(span.get(i).from().members())
					|| !first.get(i).to().members().equals(span.get(i).to().members())) {
				return false;
			}
		}
		return true;
	}

	/** A change with those of its process right before and after it (within 100 ms), in which it stays. */
	private static List<Transition> backToBack(Transition t) {
		ChaosLog log = t.log;
		int first = t.k;
		while (first > 0 && log.views.get(first + 1).time() - log.views.get(first).time() <= 100) {
			first--;
		}
		int last = t.k;
		while (last + 2 < log.views.size() && log.views.get(last + 2).time() - log.views.get(last + 1).time() <= 100) {
			last++;
		}
		List<Transition> run = new ArrayList<>();
		for (int j = first; j <= last; j++) {
			Transition c = new Transition(log, j);
			if (c.from().contains(log.self) && c.to().contains(log.self)) {
				run.add(c);
			}
		}
		return run.isEmpty() ? List.of(t) : run;
	}

	/** The members of {@code known} a log's changes never report gone: those that moved on with it. */
	private static Set<Address> movedOn(List<Transition> span, Set<Address> known) {
		Set<Address> moved = new LinkedHashSet<>(known);
		for (Transition c : span) {
			for (Address member : c.from().members()) {
				if (!c.to().contains(member)) {
					moved.remove(member);
				}
			}
		}
		return moved;
	}

	/**
	 * The changes of two processes, each staying in them, over one stretch of the order; and the configuration
	 * the second was in at its start.
	 */
	private record Spans(List<Transition> mine, List<Transition> theirs, View theirView) {
	}

	/**
	 * The changes of {@code t}'s process and of {@code q} where each stays, between the last message both
	 * delivered before {@code t} and the first both delivered after it ({@code q}'s may be none); {@code null}
	 * when no message both delivered bounds it on either side.
	 */
	private static @Nullable Spans spans(Transition t, ChaosLog q) {
		ChaosLog p = t.log;
		int before = -1;
		for (int i = p.end(t.k) - 1; i >= Math.max(0, p.end(t.k) - 20_000) && before < 0; i--) {
			if (q.position(p.delivery(i)) >= 0) {
				before = i;
			}
		}
		int after = -1;
		int from = p.start(t.k + 1);
		for (int i = from; i < Math.min(p.delivered(), from + 20_000) && after < 0; i++) {
			if (q.position(p.delivery(i)) >= 0) {
				after = i;
			}
		}
		if (before < 0 || after < 0) {
			return null;
		}
		int theirBefore = q.position(p.delivery(before));
		int theirAfter = q.position(p.delivery(after));
		if (theirAfter < theirBefore) {
			// the two delivered them in another order: that is ORDER's to report
			return null;
		}
		List<Transition> mine = between(p, before, after);
		if (mine.isEmpty()) {
			return null;
		}
		return new Spans(mine, between(q, theirBefore, theirAfter), q.views.get(Math.max(0, q.viewOf(theirBefore))));
	}

	/** A log's changes between two of its deliveries in which it stays. */
	private static List<Transition> between(ChaosLog log, int before, int after) {
		List<Transition> span = new ArrayList<>();
		for (int j = Math.max(0, log.viewOf(before)); j < log.viewOf(after); j++) {
			Transition c = new Transition(log, j);
			if (c.from().contains(log.self) && c.to().contains(log.self)) {
				span.add(c);
			}
		}
		return span;
	}

	/**
	 * The processes the changes report gone for a reason that is not what happened: {@code NODEDOWN} (3)
	 * for a process whose node stayed, or {@code PROCDOWN} (5) for one whose node went: whose daemon ended
	 * with it (a corosync4j process is its node; a Corosync client lost its daemon) or that lived on, cut off.
	 */
	private List<String> wrongReasons(List<Transition> span) {
		List<String> wrong = new ArrayList<>();
		for (Transition t : span) {
			for (String left : t.to().left()) {
				String[] f = left.split("/");
				if (f.length != 3 || !(f[2].equals("3") || f[2].equals("5"))) {
					continue;
				}
				ChaosLog gone = this.byAddress.get(new Address(Long.parseLong(f[0]), Long.parseLong(f[1])));
				if (gone == null) {
					continue;
				}
				boolean nodeWent = gone.impl.equals("corosync4j") || gone.lostReason != null
						|| continuesPast(gone, t.to().time());
				if (nodeWent != f[2].equals("3")) {
					wrong.add(left);
				}
			}
		}
		return wrong;
	}

	private static List<Address> minus(Set<Address> a, Set<Address> b) {
		return a.stream().filter((address) -> !b.contains(address)).toList();
	}

	/**
	 * {@code q}'s own change at the time of {@code t}'s, within 15 s of it: out of the configuration {@code t}
	 * leaves (the same members) if it has one, else the nearest; or {@code null}.
	 */
	private static @Nullable Transition counterpart(Transition t, ChaosLog q) {
		Transition sameMembers = null;
		Transition nearest = null;
		for (int j = 0; j + 1 < q.views.size(); j++) {
			Transition candidate = new Transition(q, j);
			long distance = Math.abs(candidate.to().time() - t.to().time());
			if (distance >= 15_000) {
				continue;
			}
			if (nearest == null || distance < Math.abs(nearest.to().time() - t.to().time())) {
				nearest = candidate;
			}
			if (candidate.from().members().equals(t.from().members())
					&& (sameMembers == null || distance < Math.abs(sameMembers.to().time() - t.to().time()))) {
				sameMembers = candidate;
			}
		}
		return (sameMembers != null) ? sameMembers : nearest;
	}

	private static String around(ChaosLog q, long time) {
		List<String> near = new ArrayList<>();
		for (View view : q.views) {
			if (Math.abs(view.time() - time) < 15_000) {
				near.add("view " + view.index() + " " + view);
			}
		}
		return near.isEmpty() ? "none within 15 s" : String.join("; ", near);
	}

	/**
	 * Which of {@code q}'s transitions with the same lists is {@code t}: the one in which {@code q} delivered
	 * messages {@code t}'s process delivered in its first view, else the one the messages both delivered
	 * before and after place there, else the nearest in time among those that fit.
	 */
	/** A transition of another process taken for the same, and how sure: 3 by messages, 2 placed, 1 by time. */
	private record Match(int j, int strength) {
	}

	private @Nullable Match match(Transition t, ChaosLog q, List<Integer> candidates) {
		if (candidates.isEmpty()) {
			return null;
		}
		ChaosLog p = t.log;
		int from = p.start(t.k);
		int to = p.end(t.k);
		Map<Integer, Integer> votes = new HashMap<>();
		boolean elsewhere = false;
		for (int i = from; i < to; i++) {
			int at = q.position(p.delivery(i));
			if (at >= 0) {
				int view = q.viewOf(at);
				if (candidates.contains(view)) {
					votes.merge(view, 1, Integer::sum);
				}
				else {
					elsewhere = true;
				}
			}
		}
		if (!votes.isEmpty()) {
			return new Match(votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey(), 3);
		}
		if (elsewhere) {
			// q delivered what p delivered in this configuration, but in none with these lists
			return null;
		}
		// nothing in the view both delivered: place the change by common messages around it
		int before = -1;
		for (int i = from - 1; i >= Math.max(0, from - 20_000) && before < 0; i--) {
			before = q.position(p.delivery(i));
		}
		int after = -1;
		int next = p.end(t.k + 1);
		for (int i = to; i < Math.min(p.delivered(), next + 20_000) && after < 0; i++) {
			after = q.position(p.delivery(i));
		}
		List<Integer> fitting = new ArrayList<>();
		for (int j : candidates) {
			boolean afterBefore = before < 0 || before < q.start(j);
			boolean beforeAfter = after < 0 || after >= q.start(j + 1);
			if (afterBefore && beforeAfter) {
				fitting.add(j);
			}
		}
		if (fitting.size() == 1) {
			return new Match(fitting.get(0), 2);
		}
		long time = t.to().time();
		if (fitting.isEmpty()) {
			// the messages around it put the change elsewhere for q: a difference in itself, which comparing
			// what each delivered in that configuration shows; take the same change close in time
			return candidates.stream()
				.filter((j) -> Math.abs(q.views.get(j + 1).time() - time) <= this.near)
				.min(Comparator.comparingLong((j) -> Math.abs(q.views.get(j + 1).time() - time)))
				.map((j) -> new Match(j, 1))
				.orElse(null);
		}
		return new Match(fitting.stream()
			.min(Comparator.comparingLong((j) -> Math.abs(q.views.get(j + 1).time() - time)))
			.orElseThrow(), 1);
	}

	private static int find(int[] parent, int i) {
		while (parent[i] != i) {
			parent[i] = parent[parent[i]];
			i = parent[i];
		}
		return i;
	}

	/**
	 * Compares what the processes of a group delivered in the configuration they left together. Where one
	 * of them entered it at a change the others did not report (a separation it saw and they hid, already a
	 * {@link Kind#VIEWS} disagreement), the configurations start at different places of the order: what it
	 * delivered before its own start is left out of every set, so that only the stretch all of them call
	 * this configuration is compared.
	 *
	 * @param sameStart whether two transitions of the group left configurations entered at the same change
	 */
	private void compareSets(List<Transition> group, java.util.function.BiPredicate<Transition, Transition> sameStart) {
		List<Transition> ownStart = group.stream()
			.filter((t) -> t.k > 0 && group.stream().anyMatch((r) -> r != t && r.k > 0 && !sameStart.test(t, r)))
			.toList();
		Map<MessageSet, List<Transition>> bySet = new LinkedHashMap<>();
		Map<Transition, long[]> sets = new HashMap<>();
		// those that delivered here what another delivered before the change it entered at: they did not
		// report that change, a separation the other reported
		Map<ChaosLog, Long> hid = new LinkedHashMap<>();
		for (Transition t : group) {
			long[] set = Arrays.stream(t.log.deliveries, realStart(t), realEnd(t))
				.filter((id) -> ownStart.stream().noneMatch((o) -> o != t && deliveredBefore(o, id)))
				.toArray();
			long left = (t.log.end(t.k) - t.log.start(t.k)) - set.length;
			if (left > 0) {
				hid.put(t.log, left);
			}
			Arrays.sort(set);
			sets.put(t, set);
			bySet.computeIfAbsent(new MessageSet(set), (x) -> new ArrayList<>()).add(t);
		}
		if (!hid.isEmpty()) {
			List<ChaosLog> reporting = ownStart.stream().map((o) -> o.log).filter((log) -> !hid.containsKey(log)).toList();
			add(Kind.VIEWS, List.copyOf(hid.keySet()), "moving together from " + group.get(0).from() + " to "
					+ group.get(0).to() + ", " + hid.entrySet().stream()
						.map((e) -> e.getKey() + " delivered " + e.getValue() + " messages in it")
						.collect(Collectors.joining(", "))
					+ " that " + reporting + " delivered before the change at which they entered it; "
					+ hid.keySet() + " never reported that change (a separation they hide)");
		}
		if (bySet.size() == 1) {
			return;
		}
		List<List<Transition>> classes = new ArrayList<>(bySet.values());
		classes.sort(Comparator.comparingInt((List<Transition> c) -> -c.size()));
		boolean tie = classes.get(0).size() == classes.get(1).size();
		List<Transition> majority = classes.get(0);
		long[] reference = sets.get(majority.get(0));
		List<ChaosLog> differing = new ArrayList<>();
		Set<String> senderImpls = new java.util.TreeSet<>();
		StringBuilder text = new StringBuilder();
		Transition any = group.get(0);
		text.append(group.size()).append(" processes moved together from ").append(any.from()).append(" to ")
			.append(any.to()).append(" but delivered ").append(classes.size()).append(" different sets of messages in it: ");
		text.append(describeClass(majority, reference.length)).append(tie ? " (no majority)" : " (majority)");
		for (List<Transition> other : classes.subList(1, classes.size())) {
			long[] set = sets.get(other.get(0));
			text.append("; ").append(describeClass(other, set.length)).append(": missing ")
				.append(difference(reference, set)).append(", extra ").append(difference(set, reference));
			other.forEach((t) -> differing.add(t.log));
			senderImpls.addAll(senderImpls(reference, set));
		}
		if (tie) {
			majority.forEach((t) -> differing.add(t.log));
		}
		Map<ChaosLog, long[]> byLog = new LinkedHashMap<>();
		group.forEach((t) -> byLog.put(t.log, sets.get(t)));
		List<ChaosLog> against = againstCorosync(byLog);
		List<RecoveryTrace.EarlyFree> frees = earlyFreesFor(group, sets);
		// a corosync4j node's token copies once made the Corosync daemon after it free early: there the
		// corosync4j side stays named
		List<Long> order = any.from().members().stream().map(Address::nodeid).distinct().sorted().toList();
		List<RecoveryTrace.EarlyFree> byCorosync = frees.stream()
			.filter((f) -> implOfNode(f.nodeid()).equals("corosync")
					&& implOfNode(order.get((order.indexOf(f.nodeid()) + order.size() - 1) % order.size())).equals("corosync"))
			.toList();
		List<ChaosLog> freeing = group.stream().map((t) -> t.log)
			.filter((log) -> byCorosync.stream().anyMatch((f) -> f.nodeid() == log.self.nodeid()))
			.distinct()
			.toList();
		if (!freeing.isEmpty()) {
			// the others could not have delivered what they miss: it was gone from every node that had it
			differing.clear();
			differing.addAll(freeing);
			against = List.of();
			text.append("; nobody could re-send what they miss (Corosync after Corosync in the ring): ").append(byCorosync);
		}
		else if (!frees.isEmpty()) {
			text.append("; messages were freed early: ").append(frees);
		}
		if (!against.isEmpty()) {
			text.append("; against the Corosync processes, which agree: ").append(against);
		}
		add(Kind.SYNCHRONY, differing, against, text.toString(), senderImpls);
	}

	/** The implementation whose processes ran on {@code nodeid}, or "" when none logged. */
	private String implOfNode(long nodeid) {
		return this.logs.stream().filter((log) -> log.self.nodeid() == nodeid).map((log) -> log.impl).findFirst().orElse("");
	}

	/**
	 * The early frees by nodes of the configuration the group leaves, while it lasted, when what its
	 * processes delivered are nested sets (each missing messages of the largest, none with others).
	 */
	private List<RecoveryTrace.EarlyFree> earlyFreesFor(List<Transition> group, Map<Transition, long[]> sets) {
		long[] largest = sets.values().stream().max(Comparator.comparingInt((long[] set) -> set.length)).orElseThrow();
		for (long[] set : sets.values()) {
			if (!within(set, largest)) {
				return List.of();
			}
		}
		Transition any = group.get(0);
		Set<Long> nodes = any.from().members().stream().map(Address::nodeid).collect(Collectors.toSet());
		long from = any.from().time() - 2_000;
		long to = any.to().time() + 2_000;
		return this.earlyFrees.stream()
			.filter((f) -> nodes.contains(f.nodeid()) && f.time() >= from && f.time() <= to)
			.toList();
	}

	/**
	 * Where the configuration {@code t} leaves is what it says: its start, or, when it began listing a process
	 * whose node was not in the ring (a ghost, reported as such), the first ring logged in it that has every
	 * member's node. What the process delivered before that, the ghost could not have delivered.
	 */
	private static int realStart(Transition t) {
		int start = t.log.start(t.k);
		if (ghostsIn(t.log, t.k).isEmpty()) {
			return start;
		}
		List<Long> nodes = t.from().members().stream().map(Address::nodeid).toList();
		for (ChaosLog.Ring ring : t.log.rings) {
			if (ring.views() == t.k + 1 && ring.delivered() >= start && ring.members().containsAll(nodes)) {
				return ring.delivered();
			}
		}
		return t.log.end(t.k);
	}

	/**
	 * Where the configuration {@code t} leaves really ended: its end, or, when the next one lists a ghost,
	 * where that one became what it says (until then the process was still in this one's ring).
	 */
	private static int realEnd(Transition t) {
		if (t.k + 1 < t.log.views.size() && !ghostsIn(t.log, t.k + 1).isEmpty()) {
			return realStart(new Transition(t.log, t.k + 1));
		}
		return t.log.end(t.k);
	}

	/** Whether {@code t}'s process delivered {@code id} before the configuration {@code t} leaves. */
	private static boolean deliveredBefore(Transition t, long id) {
		int at = t.log.position(id);
		return at >= 0 && at < t.log.start(t.k);
	}

	/**
	 * The corosync4j processes whose set is not the one every Corosync process of the group delivered; empty
	 * when there is no Corosync process or they disagree among themselves (Corosync's own case).
	 */
	private static List<ChaosLog> againstCorosync(Map<ChaosLog, long[]> sets) {
		long[] reference = null;
		for (Map.Entry<ChaosLog, long[]> entry : sets.entrySet()) {
			if (entry.getKey().impl.equals("corosync")) {
				if (reference == null) {
					reference = entry.getValue();
				}
				else if (!Arrays.equals(reference, entry.getValue())) {
					return List.of();
				}
			}
		}
		if (reference == null) {
			return List.of();
		}
		List<ChaosLog> against = new ArrayList<>();
		for (Map.Entry<ChaosLog, long[]> entry : sets.entrySet()) {
			if (entry.getKey().impl.equals("corosync4j") && !Arrays.equals(reference, entry.getValue())) {
				against.add(entry.getKey());
			}
		}
		return against;
	}

	/** Sorted message ids, compared by content. */
	private record MessageSet(long[] ids) {

		@Override
		public boolean equals(Object other) {
			return other instanceof MessageSet set && Arrays.equals(this.ids, set.ids);
		}

		@Override
		public int hashCode() {
			return Arrays.hashCode(this.ids);
		}

		@Override
		public String toString() {
			return this.ids.length + " messages";
		}

	}

	private static String describeClass(List<Transition> members, int size) {
		return members.stream().map((t) -> t.log + " view " + t.k).collect(Collectors.joining(", ")) + " delivered "
				+ size;
	}

	/** What is in {@code a} and not in {@code b} (both sorted), by sender as runs of numbers. */
	/** Whether every id of the sorted {@code a} is in the sorted {@code b}. */
	private static boolean within(long[] a, long[] b) {
		int j = 0;
		for (long id : a) {
			while (j < b.length && b[j] < id) {
				j++;
			}
			if (j >= b.length || b[j] != id) {
				return false;
			}
		}
		return true;
	}

	private String difference(long[] a, long[] b) {
		Map<Integer, List<Long>> bySender = new TreeMap<>();
		int j = 0;
		int count = 0;
		for (long id : a) {
			while (j < b.length && b[j] < id) {
				j++;
			}
			if (j >= b.length || b[j] != id) {
				bySender.computeIfAbsent(Senders.sender(id), (x) -> new ArrayList<>()).add(Senders.seq(id));
				count++;
			}
		}
		if (count == 0) {
			return "0";
		}
		List<String> parts = new ArrayList<>();
		for (Map.Entry<Integer, List<Long>> entry : bySender.entrySet()) {
			parts.add(entry.getValue().size() + " of " + this.senders.address(entry.getKey()) + " " + runs(entry.getValue()));
		}
		return count + " (" + String.join("; ", parts) + ")";
	}

	private static String runs(List<Long> seqs) {
		List<String> runs = new ArrayList<>();
		long start = seqs.get(0);
		long end = start;
		for (long seq : seqs.subList(1, seqs.size())) {
			if (seq == end + 1) {
				end = seq;
				continue;
			}
			runs.add((start == end) ? "#" + start : "#" + start + "-" + end);
			start = seq;
			end = seq;
		}
		runs.add((start == end) ? "#" + start : "#" + start + "-" + end);
		return (runs.size() <= EXAMPLES) ? String.join(",", runs)
				: String.join(",", runs.subList(0, EXAMPLES)) + ",... (" + runs.size() + " runs)";
	}

	// ---------------------------------------------------------------------------------------------
	// the end of the run

	private void liveness() {
		List<ChaosLog> alive = this.logs.stream().filter(ChaosLog::alive).toList();
		Map<Long, List<ChaosLog>> byNode = new TreeMap<>();
		for (ChaosLog log : alive) {
			byNode.computeIfAbsent(log.self.nodeid(), (k) -> new ArrayList<>()).add(log);
		}
		for (long node : this.nodes) {
			int count = byNode.getOrDefault(node, List.of()).size();
			if (count != 1) {
				add(Kind.LIVENESS, byNode.getOrDefault(node, List.of()), "node " + node + " has " + count
						+ " client processes alive at the end instead of one");
			}
		}
		List<Address> expected = alive.stream().map((log) -> log.self).sorted().toList();
		Map<ChaosLog, View> last = new LinkedHashMap<>();
		for (ChaosLog log : alive) {
			int k = log.viewAtQuiet();
			if (k < 0) {
				add(Kind.LIVENESS, List.of(log), log + " had no configuration when it stopped sending");
				continue;
			}
			View view = log.views.get(k);
			last.put(log, view);
			if (!view.members().equals(expected)) {
				add(Kind.LIVENESS, List.of(log), log + " was in " + view + " at the end, not with all of " + expected);
				continue;
			}
			// new traffic: a message of every live process after the last change
			Set<Integer> heard = new LinkedHashSet<>();
			for (int i = view.start(); i < log.end(k); i++) {
				heard.add(Senders.sender(log.delivery(i)));
			}
			List<Address> silent = new ArrayList<>();
			for (Address sender : expected) {
				if (!heard.contains(this.senders.number(sender))) {
					silent.add(sender);
				}
			}
			if (!silent.isEmpty()) {
				add(Kind.LIVENESS, List.of(log), log + " delivered nothing from " + silent + " in its last view " + view);
			}
		}
		// the final view is one view: everybody delivered the same messages in it
		Map<MessageSet, List<ChaosLog>> sets = new LinkedHashMap<>();
		Map<ChaosLog, long[]> content = new HashMap<>();
		for (Map.Entry<ChaosLog, View> entry : last.entrySet()) {
			ChaosLog log = entry.getKey();
			int k = entry.getValue().index();
			if (!entry.getValue().members().equals(expected)) {
				continue;
			}
			long[] set = Arrays.copyOfRange(log.deliveries, log.start(k), log.end(k));
			Arrays.sort(set);
			content.put(log, set);
			sets.computeIfAbsent(new MessageSet(set), (x) -> new ArrayList<>()).add(log);
		}
		if (sets.size() > 1) {
			List<List<ChaosLog>> classes = new ArrayList<>(sets.values());
			classes.sort(Comparator.comparingInt((List<ChaosLog> c) -> -c.size()));
			long[] reference = content.get(classes.get(0).get(0));
			StringBuilder text = new StringBuilder("the live processes delivered " + sets.size()
					+ " different sets of messages in the final view " + last.values().iterator().next() + ": " + classes.get(0) + " " + reference.length);
			List<ChaosLog> differing = new ArrayList<>();
			Set<String> senderImpls = new java.util.TreeSet<>();
			for (List<ChaosLog> other : classes.subList(1, classes.size())) {
				long[] set = content.get(other.get(0));
				text.append("; ").append(other).append(' ').append(set.length).append(": missing ")
					.append(difference(reference, set)).append(", extra ").append(difference(set, reference));
				differing.addAll(other);
				senderImpls.addAll(senderImpls(reference, set));
			}
			List<ChaosLog> against = againstCorosync(content);
			if (!against.isEmpty()) {
				text.append("; against the Corosync processes, which agree: ").append(against);
			}
			add(Kind.SYNCHRONY, differing, against, text.toString(), senderImpls);
		}
	}

}
