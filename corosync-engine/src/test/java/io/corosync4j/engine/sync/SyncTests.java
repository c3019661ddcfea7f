package io.corosync4j.engine.sync;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Queue;

import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

class SyncTests {

	private final List<String> events = new ArrayList<>();

	private final Queue<Runnable> loop = new ArrayDeque<>();

	/** The agreed order: every frame any node queued, delivered to all nodes when its token comes. */
	private final List<Node> nodes = new ArrayList<>();

	@Test
	void messagesAreCorosyncsBytes() {
		RingId ring = new RingId(1, 9);
		String build = HexFormat.of().formatHex(SyncMessage.serviceBuild(ring, new int[] { 0, 2, 3, 5 }).encode());
		assertThat(build).startsWith("0100000000000000" + "2802000000000000" + "0100000009000000" + "0000000000000000"
				+ "0400000000000000" + "00000000020000000300000005000000");
		assertThat(build.substring(112)).matches("0*").hasSize(496 * 2);
		assertThat(SyncMessage.barrier(ring).encode()).containsExactly(HexFormat.of()
			.parseHex("0000000000000000" + "2000000000000000" + "0100000009000000" + "0000000000000000"));
		assertThat(SyncMessage.decode(SyncMessage.serviceBuild(ring, new int[] { 2 }).encode()))
			.isEqualTo(SyncMessage.serviceBuild(ring, new int[] { 2 }));
		assertThat(SyncMessage.decode(new byte[10])).isNull();
		byte[] tooMany = SyncMessage.serviceBuild(ring, new int[0]).encode();
		tooMany[32] = (byte) 200;
		assertThat(SyncMessage.decode(tooMany)).isNull();
	}

	@Test
	void everyServiceOfTheUnionSynchronizesInOrderOnEveryMember() {
		Node a = node(1, 0, 2);
		Node b = node(2, 2, 5);
		Node c = node(3);
		RingId ring = new RingId(1, 0x10);
		changeAll(ring, 1, 2, 3);
		runUntilQuiet();
		assertThat(a.completed).isEqualTo(1);
		assertThat(b.completed).isEqualTo(1);
		assertThat(c.completed).isEqualTo(1);
		assertThat(this.events).containsSubsequence("n1 init 0", "n1 process 0", "n1 activate 0", "n1 process 2",
				"n1 activate 2");
		assertThat(this.events).containsSubsequence("n2 activate 2", "n2 process 5", "n2 activate 5");
		// nobody activates a service before every member finished the one before it
		assertThat(this.events.indexOf("n2 activate 2")).isGreaterThan(this.events.indexOf("n1 process 2"));
		assertThat(this.events.indexOf("n1 activate 0")).isLessThan(this.events.indexOf("n1 process 2"));
		assertThat(a.sync.inProgress()).isFalse();
	}

	@Test
	void aNewMembershipAbortsTheRoundAndLateBarriersAreIgnored() {
		Node a = node(1, 2);
		Node b = node(2, 2);
		changeAll(new RingId(1, 0x10), 1, 2);
		// the service lists are in and a's service is half-way through sending its state
		tokens();
		this.loop.poll().run();
		a.changed(new ConfigurationChange(ConfigurationType.TRANSITIONAL, List.of(1L), List.of(2L), List.of(),
				new RingId(1, 0x14)));
		a.changed(new ConfigurationChange(ConfigurationType.REGULAR, List.of(1L), List.of(), List.of(),
				new RingId(1, 0x14)));
		this.nodes.remove(b);
		runUntilQuiet();
		assertThat(this.events).contains("n1 abort 2");
		assertThat(this.events).containsSubsequence("n1 init 2 ring 1.14 trans [1]", "n1 activate 2");
		assertThat(a.completed).isEqualTo(1);
	}

	@Test
	void aNodeSeparatedDuringAbortedRoundsIsNotTransitional() {
		Node a = node(1, 2);
		node(2, 2);
		changeAll(new RingId(1, 0x10), 1, 2);
		runUntilQuiet();
		assertThat(a.completed).isEqualTo(1);
		// three more rings before any round completes: node 2 was apart from node 1 in the middle one
		change(a, new RingId(1, 0x14), List.of(1L, 2L), List.of(1L, 2L));
		change(a, new RingId(1, 0x18), List.of(1L), List.of(1L, 2L));
		change(a, new RingId(1, 0x1c), List.of(1L, 2L), List.of(1L, 2L));
		// Corosync would hand CPG the latest transitional list, [1, 2]
		assertThat(this.events).contains("n1 init 2 ring 1.14 trans [1, 2]", "n1 init 2 ring 1.18 trans [1]",
				"n1 init 2 ring 1.1c trans [1]");
	}

	@Test
	void nothingIsSynchronizedBeforeTheFirstRoundCompletes() {
		Node a = node(1, 2);
		// as Corosync's sync_in_process: CPG holds joins and sends until the first round completes
		assertThat(a.sync.inProgress()).isTrue();
		changeAll(new RingId(1, 4), 1);
		runUntilQuiet();
		assertThat(a.sync.inProgress()).isFalse();
	}

	@Test
	void membersAgreeTheRingIsCorosync4jOnlyWhenEveryMemberAnnouncedItself() {
		Node a = node(1, 2);
		Node b = node(2, 2);
		changeAll(new RingId(1, 0x10), 1, 2);
		runUntilQuiet();
		assertThat(a.sync.corosync4jOnly()).isTrue();
		assertThat(b.sync.corosync4jOnly()).isTrue();
		Node corosync = new Node(3, false, 2);
		this.nodes.add(corosync);
		changeAll(new RingId(1, 0x14), 1, 2, 3);
		runUntilQuiet();
		assertThat(corosync.completed).isEqualTo(1);
		assertThat(a.sync.corosync4jOnly()).isFalse();
		assertThat(b.sync.corosync4jOnly()).isFalse();
		// an announcement for another ring does not count
		this.nodes.remove(corosync);
		changeAll(new RingId(1, 0x18), 1, 2);
		runUntilQuiet();
		assertThat(a.sync.corosync4jOnly()).isTrue();
	}

	@Test
	void withoutServicesTheRoundCompletesWhenAllListsAreIn() {
		Node a = node(1);
		Node b = node(2);
		changeAll(new RingId(2, 8), 1, 2);
		runUntilQuiet();
		assertThat(a.completed).isEqualTo(1);
		assertThat(b.completed).isEqualTo(1);
	}

	private Node node(long nodeid, int... serviceIds) {
		Node node = new Node(nodeid, serviceIds);
		this.nodes.add(node);
		return node;
	}

	private void changeAll(RingId ring, long... members) {
		List<Long> list = new ArrayList<>();
		for (long member : members) {
			list.add(member);
		}
		for (Node node : this.nodes) {
			node.changed(new ConfigurationChange(ConfigurationType.TRANSITIONAL, List.of(node.nodeid), List.of(),
					List.of(), ring));
			node.changed(new ConfigurationChange(ConfigurationType.REGULAR, list, List.of(), List.of(), ring));
		}
	}

	private static void change(Node node, RingId ring, List<Long> transitional, List<Long> members) {
		node.changed(new ConfigurationChange(ConfigurationType.TRANSITIONAL, transitional, List.of(), List.of(), ring));
		node.changed(new ConfigurationChange(ConfigurationType.REGULAR, members, List.of(), List.of(), ring));
	}

	private void runUntilQuiet() {
		for (int i = 0; i < 200; i++) {
			runLoop();
			tokens();
		}
	}

	private void runLoop() {
		for (int i = 0; i < 1000 && !this.loop.isEmpty(); i++) {
			this.loop.poll().run();
		}
	}

	/** Each node in turn gets the token, flushes what it staged, and everyone receives it. */
	private void tokens() {
		for (Node sender : List.copyOf(this.nodes)) {
			sender.totempg.tokenReceived();
			for (byte[] frame : sender.sent) {
				for (Node receiver : this.nodes) {
					receiver.totempg.deliver(sender.nodeid, frame, false);
				}
			}
			sender.sent.clear();
		}
	}

	private final class Node implements Totempg.OrderedQueue {

		final long nodeid;

		final Totempg totempg = new Totempg(1410, 100);

		final Sync sync;

		final List<byte[]> sent = new ArrayList<>();

		int completed;

		Node(long nodeid, int... serviceIds) {
			this(nodeid, true, serviceIds);
		}

		Node(long nodeid, boolean corosync4j, int... serviceIds) {
			this.nodeid = nodeid;
			this.totempg.bind(this);
			List<SyncService> services = new ArrayList<>();
			for (int id : serviceIds) {
				services.add(new Recording(nodeid, id));
			}
			this.sync = new Sync(this.totempg, services, SyncTests.this.loop::add, () -> this.completed++, corosync4j);
		}

		void changed(ConfigurationChange change) {
			this.totempg.configurationChange(change);
			this.sync.membershipChanged(change);
		}

		@Override
		public int available() {
			return 100;
		}

		@Override
		public boolean mcast(byte[] payload) {
			this.sent.add(payload);
			return true;
		}

		@Override
		public void signalNewMessage() {
		}

		@Override
		public byte @Nullable [] nextNormal() {
			return null;
		}

		@Override
		public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
			return false;
		}

	}

	/** Needs two calls to finish sending its state, like a service whose first send found the queue full. */
	private final class Recording implements SyncService {

		private final long nodeid;

		private final int id;

		private int calls;

		Recording(long nodeid, int id) {
			this.nodeid = nodeid;
			this.id = id;
		}

		@Override
		public int serviceId() {
			return this.id;
		}

		@Override
		public String name() {
			return "service " + this.id;
		}

		@Override
		public void init(List<Long> transitional, List<Long> members, RingId ringId) {
			this.calls = 0;
			record("init " + this.id);
			record("init " + this.id + " ring " + ringId + " trans " + transitional);
		}

		@Override
		public boolean process() {
			record("process " + this.id);
			return ++this.calls >= 2;
		}

		@Override
		public void activate() {
			record("activate " + this.id);
		}

		@Override
		public void abort() {
			record("abort " + this.id);
		}

		private void record(String event) {
			SyncTests.this.events.add("n" + this.nodeid + " " + event);
		}

	}

}
