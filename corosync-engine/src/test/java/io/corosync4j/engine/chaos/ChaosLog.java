package io.corosync4j.engine.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * What one CPG client process (one incarnation: a JVM's handle, or a libcpg program's) wrote: its
 * configuration changes and, between them, the messages it delivered. Written by {@link ChaosClient} and
 * {@code chaosclient.c} in the same line format:
 *
 * <pre>
 * I &lt;impl&gt; &lt;nodeid&gt; &lt;pid&gt; &lt;t&gt;          start: impl is corosync4j or corosync
 * C &lt;t&gt; &lt;members&gt; &lt;left&gt; &lt;joined&gt;   a configuration change: n/p,... and n/p/reason,... or -
 * T &lt;t&gt; &lt;ring&gt; &lt;nodes&gt;              the ring after a synchronization (totem confchg)
 * D &lt;nodeid&gt; &lt;pid&gt; &lt;seq&gt; &lt;size&gt;     a message delivered intact
 * B &lt;nodeid&gt; &lt;pid&gt; &lt;seq&gt; &lt;size&gt; &lt;t&gt; a message delivered with wrong bytes
 * P &lt;t&gt; &lt;sent&gt; &lt;delivered&gt; ...      progress, every second
 * Q &lt;t&gt; &lt;sent&gt;                      sending stopped for good: the sender's last number
 * E &lt;t&gt; &lt;sent&gt;                      the process ended alive (the run's end)
 * X &lt;t&gt; &lt;reason&gt;                    the process lost its node
 * </pre>
 *
 * Times are milliseconds since the epoch (every process runs on the same host). A last line without its
 * newline (a killed process) is ignored. Messages are kept as {@code long} ids, {@link Senders#id}.
 */
public final class ChaosLog {

	/** A CPG process: node and pid. */
	public record Address(long nodeid, long pid) implements Comparable<Address> {

		@Override
		public int compareTo(Address other) {
			int byNode = Long.compare(this.nodeid, other.nodeid);
			return (byNode != 0) ? byNode : Long.compare(this.pid, other.pid);
		}

		@Override
		public String toString() {
			return this.nodeid + "/" + this.pid;
		}

	}

	/**
	 * A configuration change as this process saw it.
	 *
	 * @param index its number among this process's changes
	 * @param time when it was logged
	 * @param members the members after it, sorted
	 * @param left who left, {@code n/p/reason}, sorted
	 * @param joined who joined, {@code n/p/reason}, sorted
	 * @param start the index of the first delivery after it
	 * @param line its line in the log
	 */
	public record View(int index, long time, List<Address> members, List<String> left, List<String> joined, int start,
			int line) {

		/** What identifies the change among the members that saw it: the lists, not the time. */
		public String content() {
			return "members " + join(this.members) + " left " + String.join(",", this.left) + " joined "
					+ String.join(",", this.joined);
		}

		boolean contains(Address address) {
			return this.members.contains(address);
		}

		@Override
		public String toString() {
			return "[" + content() + " at " + ChaosLog.clock(this.time) + "]";
		}

		private static String join(List<Address> addresses) {
			return addresses.stream().map(Address::toString).collect(Collectors.joining(","));
		}

	}

	/**
	 * A Totem configuration a process was told of ({@code T} line).
	 *
	 * @param time when it was logged
	 * @param id the ring id, {@code rep.seq} in hexadecimal
	 * @param members the node ids
	 * @param views how many configuration changes the log held before it
	 * @param delivered how many messages the process had delivered before it
	 */
	public record Ring(long time, String id, List<Long> members, int views, int delivered) {
	}

	/** A message delivered with bytes that do not match its header. */
	public record Bad(Address sender, long seq, int size, long time) {
	}

	/** Sender addresses numbered across all logs of a run, so a message is one {@code long}. */
	public static final class Senders {

		private final Map<Address, Integer> numbers = new HashMap<>();

		private final List<Address> addresses = new ArrayList<>();

		synchronized int number(Address address) {
			return this.numbers.computeIfAbsent(address, (a) -> {
				this.addresses.add(a);
				return this.addresses.size() - 1;
			});
		}

		synchronized Address address(int number) {
			return this.addresses.get(number);
		}

		/** A message: its sender's number and its sequence number. */
		static long id(int sender, long seq) {
			return ((long) sender << 32) | (seq & 0xFFFF_FFFFL);
		}

		static int sender(long id) {
			return (int) (id >>> 32);
		}

		static long seq(long id) {
			return id & 0xFFFF_FFFFL;
		}

		String describe(long id) {
			return address(sender(id)) + "#" + seq(id);
		}

	}

	public final String name;

	public String impl = "?";

	public Address self = new Address(0, 0);

	public long startTime;

	public final List<View> views = new ArrayList<>();

	/** The Totem configurations the process was told of, in order. */
	public final List<Ring> rings = new ArrayList<>();

	long[] deliveries = new long[1024];

	int delivered;

	/** Delivery index and time of every timed line, to place a delivery in time. */
	final List<long[]> clock = new ArrayList<>();

	public final List<Bad> bad = new ArrayList<>();

	/** The sender's last number when it stopped sending ({@code Q}), or -1. */
	public long finalSent = -1;

	public long quietTime = -1;

	/** The last number the process reported as sent (P, Q or E). */
	public long lastSent;

	/** Whether the process ended alive ({@code E}). */
	public boolean ended;

	public @Nullable String lostReason;

	public long lastTime;

	/** By sender number: its sequence numbers in delivery order and where they were delivered. */
	private final Map<Integer, long[]> seqs = new HashMap<>();

	private final Map<Integer, int[]> positions = new HashMap<>();

	private final Map<Integer, Integer> counts = new HashMap<>();

	private boolean indexed;

	ChaosLog(String name) {
		this.name = name;
	}

	public static ChaosLog read(Path file, Senders senders) throws IOException {
		// a killed process may have left half a line: only complete lines count
		return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.ISO_8859_1), senders);
	}

	/** Reads a log's text; an unfinished last line (a killed process) is left out. */
	public static ChaosLog parse(String name, String whole, Senders senders) {
		String text = whole.substring(0, whole.lastIndexOf('\n') + 1);
		ChaosLog log = new ChaosLog(name);
		try (BufferedReader reader = new BufferedReader(new StringReader(text))) {
			String line;
			int number = 0;
			while ((line = reader.readLine()) != null) {
				number++;
				if (!line.isEmpty()) {
					try {
						log.add(line, number, senders);
					}
					catch (RuntimeException ex) {
						throw new IllegalArgumentException(name + ":" + number + ": cannot read '" + line + "'", ex);
					}
				}
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return log;
	}

	private void add(String line, int number, Senders senders) {
		String[] f = line.split(" ");
		switch (f[0]) {
			case "I" -> {
				this.impl = f[1];
				this.self = new Address(Long.parseLong(f[2]), Long.parseLong(f[3]));
				this.startTime = Long.parseLong(f[4]);
				time(this.startTime);
			}
			case "D" -> deliver(senders.number(new Address(Long.parseLong(f[1]), Long.parseLong(f[2]))),
					Long.parseLong(f[3]));
			case "B" -> {
				Address sender = new Address(Long.parseLong(f[1]), Long.parseLong(f[2]));
				this.bad.add(new Bad(sender, Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5])));
				deliver(senders.number(sender), Long.parseLong(f[3]));
			}
			case "C" -> {
				long time = Long.parseLong(f[1]);
				time(time);
				this.views.add(new View(this.views.size(), time, addresses(f[2]), reasons(f[3]), reasons(f[4]),
						this.delivered, number));
			}
			case "T", "P", "X" -> {
				time(Long.parseLong(f[1]));
				if (f[0].equals("T")) {
					List<Long> members = (f.length > 3) ? Arrays.stream(f[3].split(",")).map(Long::valueOf).toList() : List.of();
					this.rings.add(new Ring(Long.parseLong(f[1]), f[2], members, this.views.size(), this.delivered));
				}
				if (f[0].equals("P")) {
					this.lastSent = Math.max(this.lastSent, Long.parseLong(f[2]));
				}
				if (f[0].equals("X")) {
					this.lostReason = String.join(" ", Arrays.copyOfRange(f, 2, f.length));
				}
			}
			case "Q" -> {
				this.quietTime = time(Long.parseLong(f[1]));
				this.finalSent = Long.parseLong(f[2]);
				this.lastSent = Math.max(this.lastSent, this.finalSent);
			}
			case "E" -> {
				time(Long.parseLong(f[1]));
				this.finalSent = Long.parseLong(f[2]);
				this.lastSent = Math.max(this.lastSent, this.finalSent);
				this.ended = true;
			}
			default -> throw new IllegalArgumentException("unknown line kind " + f[0]);
		}
	}

	private long time(long time) {
		this.lastTime = Math.max(this.lastTime, time);
		this.clock.add(new long[] { this.delivered, time });
		return time;
	}

	private void deliver(int sender, long seq) {
		if (this.delivered == this.deliveries.length) {
			this.deliveries = Arrays.copyOf(this.deliveries, this.delivered * 2);
		}
		this.deliveries[this.delivered++] = Senders.id(sender, seq);
		this.indexed = false;
	}

	private static List<Address> addresses(String field) {
		if (field.equals("-")) {
			return List.of();
		}
		List<Address> list = new ArrayList<>();
		for (String part : field.split(",")) {
			String[] np = part.split("/");
			list.add(new Address(Long.parseLong(np[0]), Long.parseLong(np[1])));
		}
		list.sort(null);
		return List.copyOf(list);
	}

	private static List<String> reasons(String field) {
		if (field.equals("-")) {
			return List.of();
		}
		List<String> list = new ArrayList<>(List.of(field.split(",")));
		list.sort(null);
		return List.copyOf(list);
	}

	/** Messages delivered. */
	public int delivered() {
		return this.delivered;
	}

	long delivery(int index) {
		return this.deliveries[index];
	}

	/** The first delivery of view {@code k}. */
	int start(int k) {
		return this.views.get(k).start();
	}

	/** One past the last delivery of view {@code k}. */
	int end(int k) {
		return (k + 1 < this.views.size()) ? this.views.get(k + 1).start() : this.delivered;
	}

	/**
	 * The Totem configuration view {@code k} belongs to, or {@code null} when the log does not say. A change
	 * that a new ring brought (a node went down or came up) belongs to the ring logged right after it, with
	 * nothing delivered in between, within a second; a join or leave inside a ring to the last one before it.
	 */
	public @Nullable Ring ringOf(int k) {
		View view = this.views.get(k);
		boolean newRing = Stream.concat(view.left().stream(), view.joined().stream())
			.anyMatch((entry) -> entry.endsWith("/3") || entry.endsWith("/4"));
		Ring before = null;
		for (Ring ring : this.rings) {
			if (ring.views() <= k) {
				before = ring;
				continue;
			}
			if (newRing) {
				return (ring.delivered() == view.start() && ring.time() - view.time() <= 1000) ? ring : null;
			}
			break;
		}
		return newRing ? null : before;
	}

	/** The view a delivery belongs to, -1 before the first. */
	int viewOf(int position) {
		int low = 0;
		int high = this.views.size() - 1;
		int found = -1;
		while (low <= high) {
			int mid = (low + high) >>> 1;
			if (this.views.get(mid).start() <= position) {
				found = mid;
				low = mid + 1;
			}
			else {
				high = mid - 1;
			}
		}
		// several changes back to back share a start: the delivery is in the last of them
		return found;
	}

	/** About when delivery {@code position} happened (the last timed line before it). */
	long timeOf(int position) {
		long time = this.startTime;
		for (long[] entry : this.clock) {
			if (entry[0] > position) {
				break;
			}
			time = entry[1];
		}
		return time;
	}

	/** Where message {@code id} was delivered (its first delivery), or -1. */
	int position(long id) {
		index();
		int sender = Senders.sender(id);
		long[] s = this.seqs.get(sender);
		if (s == null) {
			return -1;
		}
		int n = this.counts.get(sender);
		int at = Arrays.binarySearch(s, 0, n, Senders.seq(id));
		if (at < 0) {
			return -1;
		}
		while (at > 0 && s[at - 1] == s[at]) {
			at--;
		}
		int first = this.positions.get(sender)[at];
		for (int k = at + 1; k < n && s[k] == s[at]; k++) {
			first = Math.min(first, this.positions.get(sender)[k]);
		}
		return first;
	}

	/** The sequence numbers of one sender's messages, sorted (duplicates kept). */
	long[] sortedSeqs(int sender) {
		index();
		long[] s = this.seqs.get(sender);
		return (s == null) ? new long[0] : Arrays.copyOf(s, this.counts.get(sender));
	}

	java.util.Set<Integer> senders() {
		index();
		return this.seqs.keySet();
	}

	private void index() {
		if (this.indexed) {
			return;
		}
		this.seqs.clear();
		this.positions.clear();
		this.counts.clear();
		Map<Integer, Boolean> sorted = new HashMap<>();
		for (int i = 0; i < this.delivered; i++) {
			long id = this.deliveries[i];
			int sender = Senders.sender(id);
			int n = this.counts.getOrDefault(sender, 0);
			long[] s = this.seqs.computeIfAbsent(sender, (k) -> new long[64]);
			int[] p = this.positions.computeIfAbsent(sender, (k) -> new int[64]);
			if (n == s.length) {
				s = Arrays.copyOf(s, n * 2);
				p = Arrays.copyOf(p, n * 2);
				this.seqs.put(sender, s);
				this.positions.put(sender, p);
			}
			if (n > 0 && s[n - 1] >= Senders.seq(id)) {
				sorted.put(sender, false);
			}
			s[n] = Senders.seq(id);
			p[n] = i;
			this.counts.put(sender, n + 1);
		}
		for (Map.Entry<Integer, Boolean> unsorted : sorted.entrySet()) {
			int sender = unsorted.getKey();
			int n = this.counts.get(sender);
			long[] s = this.seqs.get(sender);
			int[] p = this.positions.get(sender);
			long[] packed = new long[n];
			for (int k = 0; k < n; k++) {
				packed[k] = (s[k] << 31) | p[k];
			}
			Arrays.sort(packed);
			for (int k = 0; k < n; k++) {
				s[k] = packed[k] >>> 31;
				p[k] = (int) (packed[k] & 0x7FFF_FFFFL);
			}
		}
		this.indexed = true;
	}

	/** The last view this process had when it stopped sending, or -1. */
	int viewAtQuiet() {
		if (this.quietTime < 0) {
			return -1;
		}
		int found = -1;
		for (View view : this.views) {
			if (view.time() <= this.quietTime) {
				found = view.index();
			}
		}
		return found;
	}

	public boolean alive() {
		return this.ended;
	}

	private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter
		.ofPattern("HH:mm:ss.SSS")
		.withZone(java.time.ZoneOffset.UTC);

	/** A time of day (UTC) with milliseconds. */
	static String clock(long time) {
		return CLOCK.format(java.time.Instant.ofEpochMilli(time));
	}

	@Override
	public String toString() {
		return this.self + " (" + this.impl + ", " + this.name + ")";
	}

}
