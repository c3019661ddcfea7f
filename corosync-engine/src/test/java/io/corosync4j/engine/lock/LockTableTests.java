package io.corosync4j.engine.lock;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaTestGroup;
import io.corosync4j.engine.replica.ReplicaView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock table driven by hand through one agreed order: every message a member sends is delivered to
 * every member, in one sequence, as CPG delivers it; every message goes through the codec.
 */
class LockTableTests {

	@Test
	void theFirstMembersStartATableTogetherAndALaterOneReceivesIt() {
		Group group = new Group();
		Node a = group.join(1);
		group.run();
		assertThat(a.hasTable()).isTrue();
		Node b = group.join(2);
		assertThat(b.hasTable()).isFalse();
		group.run();
		assertThat(b.hasTable()).isTrue();
		group.assertAgreement();
	}

	@Test
	void grantsWaitForQuorumToSettleAfterAChange() {
		Group group = new Group();
		Node a = group.join(1);
		Node b = group.join(2);
		Node c = group.join(3);
		group.run();
		c.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		a.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		assertThat(c.granted).containsKey(1L);
		assertThat(a.granted).isEmpty();
		group.leave(c, true);
		// nothing granted at the change itself: the next delivery decides, with quorum known
		assertThat(a.granted).isEmpty();
		group.primary = false;
		a.poke();
		group.run();
		assertThat(a.granted).isEmpty();
		assertThat(a.failed).containsEntry(1L, LockError.NO_QUORUM);
		assertThat(a.hasTable()).isFalse();
		assertThat(b.hasTable()).isFalse();
		group.primary = true;
		b.poke();
		group.run();
		// both asked for a table and nobody had one: they start afresh, above every token known
		assertThat(a.hasTable()).isTrue();
		assertThat(b.hasTable()).isTrue();
		a.send(new Request(2, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		assertThat(a.granted.get(2L)).isGreaterThan(c.granted.get(1L));
		group.assertAgreement();
	}

	@Test
	void aLockInGraceIsHeldUntilTheGraceEnds() {
		Group group = new Group();
		Node a = group.join(1);
		Node b = group.join(2);
		Node c = group.join(3);
		group.run();
		c.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 5000));
		a.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		group.leave(c, true);
		b.poke();
		group.run();
		assertThat(a.granted).isEmpty();
		assertThat(a.graces).hasSize(1);
		a.send(new GraceEnd(a.graces.get(0)));
		group.run();
		assertThat(a.granted).containsKey(1L);
		group.assertAgreement();
	}

	@Test
	void aProcessThatLeavesWhileItsNodeStaysGetsNoGrace() {
		Group group = new Group();
		Node a = group.join(1);
		Node c = group.join(3);
		group.run();
		c.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 5000));
		a.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		group.leave(c, false);
		a.poke();
		group.run();
		assertThat(a.granted).containsKey(1L);
		assertThat(a.graces).isEmpty();
	}

	@Test
	void orphansStayUntilPurged() {
		Group group = new Group();
		Node a = group.join(1);
		Node c = group.join(3);
		group.run();
		c.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, LockMessage.ORPHAN, 0));
		a.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		group.leave(c, true);
		a.poke();
		group.run();
		assertThat(a.granted).isEmpty();
		assertThat(a.table.resources().get(0).holders().get(0).orphaned()).isTrue();
		a.send(new Purge("r"));
		group.run();
		assertThat(a.granted).containsKey(1L);
	}

	@Test
	void aMemberThatJoinsWhileRequestsAreInFlightEndsWithTheSameTable() {
		Group group = new Group();
		Node a = group.join(1);
		Node b = group.join(2);
		group.run();
		a.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		b.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		Node c = group.join(3);
		a.send(new Release(1));
		c.poke();
		group.run();
		assertThat(c.hasTable()).isTrue();
		assertThat(b.granted).containsKey(1L);
		group.assertAgreement();
	}

	@Test
	void aRequestFromAMemberWithoutATableIsIgnoredEverywhere() {
		Group group = new Group();
		Node a = group.join(1);
		group.run();
		Node c = group.join(3);
		// sent while it had a table it has lost since, as far as the others know
		c.send(new Request(1, 0, "r", LockMode.EXCLUSIVE, 0, 0));
		group.run();
		assertThat(c.hasTable()).isTrue();
		assertThat(a.table.resources()).isEmpty();
		group.assertAgreement();
	}

	@Test
	void aMemberWhoseSnapshotArrivesAsQuorumGoesLosesItWithTheOthers() {
		Group group = new Group();
		Node a = group.join(1);
		Node b = group.join(2);
		group.run();
		Node c = group.join(3);
		while (!group.replicas.nextIsLastChunk()) {
			assertThat(group.step()).isTrue();
		}
		group.primary = false;
		group.step();
		assertThat(a.hasTable()).isFalse();
		assertThat(b.hasTable()).isFalse();
		assertThat(c.hasTable()).isFalse();
		group.primary = true;
		a.poke();
		group.run();
		assertThat(c.hasTable()).isTrue();
		group.assertAgreement();
	}

	@Test
	void aFullTableRefusesMoreRequests() {
		Group group = new Group();
		Node a = group.join(1);
		group.run();
		for (int i = 1; i <= LockTable.MAX_LOCKS + 1; i++) {
			a.send(new Request(i, 0, "r" + i, LockMode.EXCLUSIVE, 0, 0));
		}
		// without the exclusion check after each of 32,769 deliveries
		while (group.step()) {
		}
		group.assertExclusive();
		assertThat(a.granted).hasSize(LockTable.MAX_LOCKS);
		assertThat(a.failed).containsExactly(Map.entry((long) LockTable.MAX_LOCKS + 1, LockError.NO_SPACE));
	}

	static Stream<Long> seeds() {
		return LongStream.rangeClosed(1, Long.getLong("corosync4j.lock.seeds", 200)).boxed();
	}

	/**
	 * Random requests, releases, joins, departures and losses of quorum: after every delivery each table
	 * grants exclusively; at the end every member with a table holds the same one, and no token was handed
	 * to two locks.
	 */
	@ParameterizedTest(name = "seed {0}")
	@MethodSource("seeds")
	void randomRunsAgree(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		Group group = new Group();
		int nextPid = 1;
		for (int i = 0; i < 3; i++) {
			group.join(nextPid++);
		}
		Map<Long, String> tokens = new HashMap<>();
		for (int step = 0; step < 400; step++) {
			int action = random.nextInt(100);
			List<Node> live = new ArrayList<>(group.nodes.values());
			if (action < 55 && !live.isEmpty()) {
				Node node = live.get(random.nextInt(live.size()));
				node.nextId++;
				LockMode mode = random.nextInt(4) == 0 ? LockMode.SHARED : LockMode.EXCLUSIVE;
				int flags = (random.nextInt(10) == 0 ? LockMessage.TRY : 0)
						| (random.nextInt(10) == 0 ? LockMessage.ORPHAN : 0)
						| (random.nextInt(5) == 0 ? LockMessage.DETECT_DEADLOCK : 0);
				node.send(new Request(node.nextId, random.nextInt(2), "r" + random.nextInt(3), mode, flags,
						random.nextInt(3) == 0 ? 100 : 0));
			}
			else if (action < 80 && !live.isEmpty()) {
				Node node = live.get(random.nextInt(live.size()));
				if (node.nextId > 0) {
					node.send(new Release(1 + random.nextInt((int) node.nextId)));
				}
			}
			else if (action < 84) {
				group.join(nextPid++);
			}
			else if (action < 88 && live.size() > 1) {
				group.leave(live.get(random.nextInt(live.size())), random.nextBoolean());
			}
			else if (action < 90 && !live.isEmpty()) {
				group.primary = !group.primary;
				live.get(0).poke();
			}
			else if (action < 92 && !live.isEmpty()) {
				Node node = live.get(random.nextInt(live.size()));
				if (!node.graces.isEmpty()) {
					node.send(new GraceEnd(node.graces.remove(0)));
				}
				node.send(new Purge("r" + random.nextInt(3)));
			}
			int deliveries = random.nextInt(4);
			for (int i = 0; i < deliveries && group.step(); i++) {
				group.assertExclusive();
			}
		}
		group.primary = true;
		if (!group.nodes.isEmpty()) {
			group.nodes.values().iterator().next().poke();
		}
		group.run();
		group.assertAgreement();
		for (Node node : group.all) {
			node.granted.forEach((id, token) -> {
				String holder = node.member + "#" + id;
				String other = tokens.putIfAbsent(token, holder);
				assertThat(other).as("seed %d: token %d granted twice", seed, token).isIn(null, holder);
			});
		}
	}

	/** Members of one lock group, with the replica protocol around each table, and the agreed order of what they sent. */
	static final class Group {

		final ReplicaTestGroup replicas = new ReplicaTestGroup();

		final Map<Member, Node> nodes = new LinkedHashMap<>();

		final List<Node> all = new ArrayList<>();

		boolean primary = true;

		Node join(long pid) {
			Node[] joined = new Node[1];
			ReplicaTestGroup.Node replica = this.replicas.join(pid, (view) -> {
				joined[0] = new Node(this, view);
				return joined[0].table;
			});
			Node node = joined[0];
			node.replica = replica;
			this.nodes.put(node.member, node);
			this.all.add(node);
			return node;
		}

		void leave(Node node, boolean nodeDown) {
			this.nodes.remove(node.member);
			this.replicas.leave(node.replica, nodeDown);
		}

		boolean step() {
			this.replicas.primary = this.primary;
			return this.replicas.step();
		}

		void run() {
			this.replicas.primary = this.primary;
			this.replicas.run(this::assertExclusive);
		}

		void assertExclusive() {
			for (Node node : this.nodes.values()) {
				for (LockMessage.ResourceState resource : node.table.resources()) {
					long exclusive = resource.holders().stream().filter((h) -> h.mode() == LockMode.EXCLUSIVE).count();
					assertThat(exclusive == 0 || resource.holders().size() == 1)
						.as(node.member + " holders of " + resource.name() + ": " + resource.holders()).isTrue();
				}
			}
		}

		void assertAgreement() {
			this.replicas.assertAgreement();
		}

	}

	static final class Node implements LockTable.Effects {

		final Group group;

		final Member member;

		final LockTable table;

		ReplicaTestGroup.Node replica;

		final Map<Long, Long> granted = new LinkedHashMap<>();

		final Map<Long, LockError> failed = new LinkedHashMap<>();

		final List<Long> graces = new ArrayList<>();

		long nextId;

		Node(Group group, ReplicaView view) {
			this.group = group;
			this.member = view.self();
			this.table = new LockTable(view, this);
		}

		boolean hasTable() {
			return this.replica.holdsState;
		}

		void send(LockMessage message) {
			this.replica.send(LockCodec.encode(message));
		}

		void poke() {
			this.replica.poke();
		}

		@Override
		public void granted(long id, long fence, boolean waited) {
			assertThat(this.granted.put(id, fence)).isNull();
		}

		@Override
		public void failed(long id, LockError error) {
			this.failed.put(id, error);
		}

		@Override
		public void released(long id) {
		}

		@Override
		public void graceStarted(long epoch, long millis) {
			this.graces.add(epoch);
		}

		@Override
		public void malformed(byte[] operation) {
			throw new AssertionError("malformed lock message");
		}

		@Override
		public long wallClockMillis() {
			return this.group.replicas.ringSeq;
		}

	}

}
