package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockError;
import io.corosync4j.engine.lock.LockException;
import io.corosync4j.engine.lock.LockMode;
import io.corosync4j.engine.lock.LockRequest;
import io.corosync4j.engine.lock.LockResourceView;
import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.lock.LockView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lock service between nodes on real sockets in this JVM: exclusion, hand-off in arrival order,
 * failures and partitions.
 */
class LockNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void anExclusiveLockIsHandedOnInTheOrderOfRequestsWithGrowingTokens() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<LockService> locks = readyServices(cluster);
			HeldLock first = get(locks.get(0).lock(LockRequest.exclusive("orders")));
			CompletableFuture<HeldLock> second = locks.get(1).lock(LockRequest.exclusive("orders"));
			awaitWaiters(locks.get(0), "orders", 1);
			CompletableFuture<HeldLock> third = locks.get(2).lock(LockRequest.exclusive("orders"));
			awaitWaiters(locks.get(0), "orders", 2);
			assertThat(second).isNotDone();
			assertThatThrownBy(() -> get(locks.get(2).tryLock("orders", LockMode.EXCLUSIVE)))
				.hasCauseInstanceOf(LockException.class)
				.cause()
				.satisfies((ex) -> assertThat(((LockException) ex).error()).isEqualTo(LockError.NOT_AVAILABLE));
			get(first.unlock());
			HeldLock secondHeld = get(second);
			assertThat(first.isHeld()).isFalse();
			assertThat(third).isNotDone();
			get(secondHeld.unlock());
			HeldLock thirdHeld = get(third);
			assertThat(secondHeld.fencingToken()).isGreaterThan(first.fencingToken());
			assertThat(thirdHeld.fencingToken()).isGreaterThan(secondHeld.fencingToken());
			List<LockResourceView> seen = get(locks.get(1).resources());
			assertThat(seen).singleElement().satisfies((resource) -> {
				assertThat(resource.holders()).extracting(LockView::nodeid).containsExactly(3L);
				assertThat(resource.waiters()).isEmpty();
			});
			assertThat(get(locks.get(0).resources())).isEqualTo(seen);
			assertThat(get(locks.get(2).resources())).isEqualTo(seen);
			assertThat(locks.get(2).statistics().waits()).isEqualTo(1);
		}
	}

	@Test
	void sharedLocksCoexistAndAnExclusiveOneWaitsForAllOfThem() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<LockService> locks = readyServices(cluster);
			HeldLock reader1 = get(locks.get(0).lock(LockRequest.shared("catalog")));
			HeldLock reader2 = get(locks.get(1).lock(LockRequest.shared("catalog")));
			CompletableFuture<HeldLock> writer = locks.get(2).lock(LockRequest.exclusive("catalog"));
			awaitWaiters(locks.get(2), "catalog", 1);
			// first in, first out: a reader arriving after the writer waits behind it
			CompletableFuture<HeldLock> lateReader = locks.get(0).lock(LockRequest.shared("catalog"));
			awaitWaiters(locks.get(2), "catalog", 2);
			get(reader1.unlock());
			assertThat(writer).isNotDone();
			get(reader2.unlock());
			HeldLock written = get(writer);
			assertThat(lateReader).isNotDone();
			get(written.unlock());
			assertThat(get(lateReader).mode()).isEqualTo(LockMode.SHARED);
		}
	}

	@Test
	void aRequestThatTimesOutIsWithdrawnEverywhere() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			List<LockService> locks = readyServices(cluster);
			HeldLock held = get(locks.get(0).lock(LockRequest.exclusive("jobs")));
			CompletableFuture<HeldLock> impatient = locks.get(1)
				.lock(LockRequest.exclusive("jobs").withTimeout(Duration.ofMillis(200)));
			assertThatThrownBy(() -> get(impatient)).cause()
				.satisfies((ex) -> assertThat(((LockException) ex).error()).isEqualTo(LockError.TIMEOUT));
			Await.until("the timed-out request withdrawn", BOUND,
					() -> get(locks.get(0).resources()).get(0).waiters().isEmpty());
			get(held.unlock());
			Await.until("nobody holding", BOUND, () -> get(locks.get(1).resources()).isEmpty());
			assertThat(locks.get(1).statistics().timeouts()).isEqualTo(1);
		}
	}

	@Test
	void aWaitThatWouldDeadlockIsRefused() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			List<LockService> locks = readyServices(cluster);
			get(locks.get(0).lock(LockRequest.exclusive("a").withOwner(7)));
			get(locks.get(1).lock(LockRequest.exclusive("b").withOwner(9)));
			CompletableFuture<HeldLock> waiting = locks.get(0).lock(LockRequest.exclusive("b").withOwner(7)
				.withDeadlockDetection(true));
			awaitWaiters(locks.get(0), "b", 1);
			assertThatThrownBy(() -> get(locks.get(1).lock(LockRequest.exclusive("a").withOwner(9)
				.withDeadlockDetection(true)))).cause()
				.satisfies((ex) -> assertThat(((LockException) ex).error()).isEqualTo(LockError.DEADLOCK));
			assertThat(waiting).isNotDone();
		}
	}

	@Test
	void theLocksOfACrashedNodeGoToTheNextWaiterAndOrphansStayUntilPurged() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<LockService> locks = readyServices(cluster);
			HeldLock doomed = get(locks.get(2).lock(LockRequest.exclusive("leader")));
			get(locks.get(2).lock(LockRequest.exclusive("config").withOrphan(true)));
			CompletableFuture<HeldLock> next = locks.get(0).lock(LockRequest.exclusive("leader"));
			CompletableFuture<HeldLock> afterOrphan = locks.get(1).lock(LockRequest.exclusive("config"));
			awaitWaiters(locks.get(0), "leader", 1);
			awaitWaiters(locks.get(0), "config", 1);
			cluster.crash(3);
			HeldLock taken = get(next);
			assertThat(taken.fencingToken()).isGreaterThan(doomed.fencingToken());
			List<LockResourceView> seen = get(locks.get(1).resources());
			assertThat(seen).filteredOn((resource) -> resource.name().equals("config")).singleElement()
				.satisfies((resource) -> assertThat(resource.holders()).singleElement()
					.satisfies((holder) -> assertThat(holder.orphaned()).isTrue()));
			assertThat(afterOrphan).isNotDone();
			get(locks.get(0).purge("config"));
			get(afterOrphan);
		}
	}

	@Test
	void aMinorityLosesItsLocksAndTheMajorityGrantsThemAfterTheGrace() throws Exception {
		Set<Integer> cut = ConcurrentHashMap.newKeySet();
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = new ArrayList<>();
			for (int i = 1; i <= 3; i++) {
				int self = i;
				nodes.add(cluster.start(i, (builder) -> builder.inboundFilter((message, sender) -> {
					int from = nodeOf(sender);
					return from == self || from == 0 || cut.contains(self) == cut.contains(from);
				})));
			}
			cluster.awaitRing(BOUND);
			List<LockService> locks = nodes.stream().map(CorosyncNode::locks).toList();
			for (LockService service : locks) {
				get(service.ready().toCompletableFuture());
			}
			Duration grace = Duration.ofSeconds(2);
			HeldLock minorityHolder = get(locks.get(2).lock(LockRequest.exclusive("leader").withGrace(grace)));
			CompletableFuture<HeldLock> majorityWaiter = locks.get(0).lock(LockRequest.exclusive("leader"));
			awaitWaiters(locks.get(0), "leader", 1);
			cut.add(3);
			CompletableFuture<Long> lostAt = minorityHolder.whenLost().toCompletableFuture()
				.thenApply((error) -> System.nanoTime());
			assertThat(get(minorityHolder.whenLost().toCompletableFuture())).isEqualTo(LockError.NO_QUORUM);
			assertThat(minorityHolder.isHeld()).isFalse();
			assertThat(locks.get(2).inPrimaryComponent()).isFalse();
			assertThatThrownBy(() -> get(locks.get(2).tryLock("other", LockMode.EXCLUSIVE))).cause()
				.satisfies((ex) -> assertThat(((LockException) ex).error()).isEqualTo(LockError.NO_QUORUM));
			HeldLock majorityHolder = get(majorityWaiter);
			long grantedAt = System.nanoTime();
			assertThat(majorityHolder.fencingToken()).isGreaterThan(minorityHolder.fencingToken());
			// the grace closes the window: the minority knew it lost the lock before the majority granted it
			assertThat(get(lostAt)).isLessThan(grantedAt);
			cut.clear();
			cluster.awaitRing(BOUND);
			Await.until("the healed member back in the primary component", BOUND,
					() -> locks.get(2).inPrimaryComponent());
			List<LockResourceView> majorityView = get(locks.get(0).resources());
			assertThat(get(locks.get(2).resources())).isEqualTo(majorityView);
			assertThat(majorityView).singleElement()
				.satisfies((resource) -> assertThat(resource.holders()).extracting(LockView::nodeid).containsExactly(1L));
		}
	}

	@Test
	void aLateMemberReceivesTheTableAndWaitsInLine() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.start(1);
			cluster.start(2);
			cluster.awaitRing(BOUND);
			LockService one = cluster.node(1).locks();
			LockService two = cluster.node(2).locks();
			get(one.ready().toCompletableFuture());
			get(two.ready().toCompletableFuture());
			HeldLock held = get(one.lock(LockRequest.exclusive("batch")));
			CompletableFuture<HeldLock> queued = two.lock(LockRequest.exclusive("batch"));
			awaitWaiters(one, "batch", 1);
			cluster.start(3);
			cluster.awaitRing(BOUND);
			LockService three = cluster.node(3).locks();
			get(three.ready().toCompletableFuture());
			assertThat(get(three.resources())).isEqualTo(get(one.resources()));
			CompletableFuture<HeldLock> last = three.lock(LockRequest.exclusive("batch"));
			awaitWaiters(one, "batch", 2);
			get(held.unlock());
			get(get(queued).unlock());
			assertThat(get(last).fencingToken()).isGreaterThan(held.fencingToken());
		}
	}

	@Test
	void requestsFailWithAClearErrorOnceTheServiceIsClosed() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 1, 500)) {
			CorosyncNode node = cluster.start(1);
			cluster.awaitRing(BOUND);
			LockService locks = node.locks();
			HeldLock held = get(locks.lock(LockRequest.exclusive("x")));
			node.close();
			Await.until("the held lock lost", BOUND, () -> !held.isHeld());
			assertThatThrownBy(() -> get(locks.lock(LockRequest.exclusive("y")))).cause()
				.satisfies((ex) -> assertThat(((LockException) ex).error()).isEqualTo(LockError.CLOSED));
			assertThatThrownBy(() -> LockRequest.exclusive("")).isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("1 to 256 bytes");
		}
	}

	private static List<LockService> readyServices(LocalCluster cluster) throws Exception {
		List<CorosyncNode> nodes = cluster.startAll();
		cluster.awaitRing(BOUND);
		List<LockService> locks = nodes.stream().map(CorosyncNode::locks).toList();
		for (LockService service : locks) {
			get(service.ready().toCompletableFuture());
		}
		return locks;
	}

	private static void awaitWaiters(LockService service, String resource, int count) throws InterruptedException {
		Await.until(count + " waiting for " + resource, BOUND, () -> get(service.resources()).stream()
			.anyMatch((r) -> r.name().equals(resource) && r.waiters().size() == count), () -> get(service.resources()));
	}

	private static int nodeOf(InetSocketAddress sender) {
		InetAddress address = sender.getAddress();
		byte[] bytes = address.getAddress();
		return (bytes.length == 4 && bytes[0] == 127) ? bytes[3] : 0;
	}

	private static <T> T get(CompletableFuture<T> future) {
		try {
			return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().toString(), ex.getCause());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
