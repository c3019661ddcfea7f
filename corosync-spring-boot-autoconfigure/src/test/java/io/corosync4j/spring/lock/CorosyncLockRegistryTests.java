package io.corosync4j.spring.lock;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.corosync4j.engine.lock.LockResourceView;
import io.corosync4j.spring.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.dao.CannotAcquireLockException;

import static io.corosync4j.spring.lock.LockCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@link java.util.concurrent.locks.Lock} contract of {@link CorosyncLock} between two nodes in this
 * JVM: reentrancy, exclusion across nodes and threads, try-locks, interrupts, ownership, the cache.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CorosyncLockRegistryTests {

	private static LockCluster cluster;

	private final ExecutorService threads = Executors.newCachedThreadPool();

	@BeforeAll
	static void startTwoNodes() throws Exception {
		cluster = LockCluster.start(2);
	}

	@AfterAll
	static void stopTheNodes() {
		if (cluster != null) {
			cluster.close();
		}
	}

	@AfterEach
	void stopTheThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void aThreadLocksAgainWhileItHoldsAndItsLastUnlockReleases() throws Exception {
		CorosyncLock lock = cluster.registry(1).obtain("reentrant");
		CorosyncLock elsewhere = cluster.registry(2).obtain("reentrant");
		assertThat(lock.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		long grants = cluster.lockService(1).statistics().grants();
		long token = lock.fencingToken();
		lock.lock();
		lock.lockInterruptibly();
		assertThat(lock.tryLock()).isTrue();
		assertThat(lock.tryLock(1, TimeUnit.SECONDS)).isTrue();
		assertThat(lock.fencingToken()).isEqualTo(token);
		assertThat(cluster.lockService(1).statistics().grants()).as("one grant").isEqualTo(grants);
		for (int i = 0; i < 4; i++) {
			lock.unlock();
			assertThat(lock.isHeldByCurrentThread()).isTrue();
		}
		assertThat(elsewhere.tryLock()).isFalse();
		lock.unlock();
		assertThat(lock.isHeldByCurrentThread()).isFalse();
		assertThat(lock.isAcquiredInThisProcess()).isFalse();
		assertThat(elsewhere.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		elsewhere.unlock();
	}

	@Test
	void twoNodesExcludeEachOtherAndAnUnlockLetsTheWaiterIn() throws Exception {
		CorosyncLock first = cluster.registry(1).obtain("exclusive");
		CorosyncLock second = cluster.registry(2).obtain("exclusive");
		assertThat(first.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		long firstToken = first.fencingToken();
		Future<Long> waiter = this.threads.submit(() -> {
			second.lock();
			try {
				return second.fencingToken();
			}
			finally {
				second.unlock();
			}
		});
		awaitWaiters("spring:exclusive", 1);
		assertThat(waiter).isNotDone();
		first.unlock();
		assertThat(waiter.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isGreaterThan(firstToken);
	}

	@Test
	void tryLockNeverWaitsAndTryLockWithATimeWaitsThatLong() throws Exception {
		CorosyncLock held = cluster.registry(1).obtain("try");
		CorosyncLock wanted = cluster.registry(2).obtain("try");
		assertThat(held.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(wanted.tryLock()).isFalse();
		assertThat(wanted.tryLock(0, TimeUnit.SECONDS)).isFalse();
		long start = System.nanoTime();
		assertThat(wanted.tryLock(300, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(250L, 20_000L);
		assertThat(wanted.isAcquiredInThisProcess()).isFalse();
		awaitWaiters("spring:try", 0);
		held.unlock();
		assertThat(wanted.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(held.tryLock()).isFalse();
		wanted.unlock();
		assertThat(cluster.lockService(2).statistics().timeouts()).isPositive();
	}

	@Test
	void lockInterruptiblyWithdrawsTheRequestWhenInterrupted() throws Exception {
		CorosyncLock held = cluster.registry(1).obtain("interruptible");
		CorosyncLock wanted = cluster.registry(2).obtain("interruptible");
		assertThat(held.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		AtomicReference<String> outcome = new AtomicReference<>();
		Thread waiter = new Thread(() -> {
			try {
				wanted.lockInterruptibly();
				outcome.set("locked");
				wanted.unlock();
			}
			catch (InterruptedException ex) {
				outcome.set("interrupted");
			}
		});
		waiter.start();
		awaitWaiters("spring:interruptible", 1);
		waiter.interrupt();
		waiter.join(BOUND.toMillis());
		assertThat(outcome).hasValue("interrupted");
		awaitWaiters("spring:interruptible", 0);
		assertThat(wanted.isAcquiredInThisProcess()).isFalse();
		held.unlock();
		// nobody was left waiting: a try-lock is granted at once
		assertThat(wanted.tryLock()).isTrue();
		wanted.unlock();
	}

	@Test
	void lockWaitsThroughAnInterruptAndSetsTheFlagAgain() throws Exception {
		CorosyncLock held = cluster.registry(1).obtain("uninterruptible");
		CorosyncLock wanted = cluster.registry(2).obtain("uninterruptible");
		assertThat(held.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		AtomicBoolean interruptedAfterwards = new AtomicBoolean();
		Thread waiter = new Thread(() -> {
			wanted.lock();
			interruptedAfterwards.set(Thread.currentThread().isInterrupted());
			wanted.unlock();
		});
		waiter.start();
		awaitWaiters("spring:uninterruptible", 1);
		waiter.interrupt();
		Thread.sleep(200);
		assertThat(waiter.isAlive()).as("still waiting").isTrue();
		awaitWaiters("spring:uninterruptible", 1);
		held.unlock();
		waiter.join(BOUND.toMillis());
		assertThat(waiter.isAlive()).isFalse();
		assertThat(interruptedAfterwards).isTrue();
	}

	@Test
	void onlyTheThreadThatHoldsALockMayUnlockIt() throws Exception {
		CorosyncLock lock = cluster.registry(1).obtain("owned");
		assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::unlock);
		assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::fencingToken);
		assertThat(lock.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		Future<?> stranger = this.threads.submit(lock::unlock);
		assertThat(catchCause(stranger)).isInstanceOf(IllegalMonitorStateException.class)
			.hasMessageContaining("does not own");
		Future<Boolean> heldByStranger = this.threads.submit(lock::isHeldByCurrentThread);
		assertThat(heldByStranger.get(BOUND.toSeconds(), TimeUnit.SECONDS)).isFalse();
		assertThat(lock.isHeldByCurrentThread()).isTrue();
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(lock::newCondition);
		lock.unlock();
		assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(lock::unlock);
	}

	@Test
	void threadsOfBothNodesIncrementACounterWithoutLosingAnUpdate() throws Exception {
		AtomicInteger counter = new AtomicInteger();
		List<Long> tokens = new CopyOnWriteArrayList<>();
		int increments = 20;
		List<Future<?>> workers = new ArrayList<>();
		for (int node = 1; node <= 2; node++) {
			CorosyncLockRegistry registry = cluster.registry(node);
			for (int thread = 0; thread < 3; thread++) {
				workers.add(this.threads.submit(() -> {
					CorosyncLock lock = registry.obtain("counter");
					for (int i = 0; i < increments; i++) {
						lock.lock();
						try {
							int seen = counter.get();
							tokens.add(lock.fencingToken());
							Thread.yield();
							counter.set(seen + 1);
						}
						finally {
							lock.unlock();
						}
					}
					return null;
				}));
			}
		}
		for (Future<?> worker : workers) {
			worker.get(2, TimeUnit.MINUTES);
		}
		assertThat(counter).hasValue(6 * increments);
		assertThat(tokens).hasSize(6 * increments).isSorted().doesNotHaveDuplicates();
	}

	@Test
	void aWaitThatWouldDeadlockFailsWithDeadlockDetection() throws Exception {
		CorosyncLockRegistry one = new CorosyncLockRegistry(() -> cluster.lockService(1));
		CorosyncLockRegistry two = new CorosyncLockRegistry(() -> cluster.lockService(2));
		one.setDeadlockDetection(true);
		two.setDeadlockDetection(true);
		CorosyncLock a = one.obtain("a");
		CorosyncLock b = two.obtain("b");
		assertThat(a.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		CountDownLatch bHeld = new CountDownLatch(1);
		Future<Boolean> holderOfB = this.threads.submit(() -> {
			assertThat(b.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			bHeld.countDown();
			try {
				awaitWaiters("spring:b", 1);
				two.obtain("a").lock();
				return true;
			}
			catch (CannotAcquireLockException ex) {
				assertThat(ex).hasMessageContaining("deadlock");
				return false;
			}
			finally {
				b.unlock();
			}
		});
		assertThat(bHeld.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		one.obtain("b").lock();
		assertThat(holderOfB.get(BOUND.toSeconds(), TimeUnit.SECONDS)).as("refused, not granted").isFalse();
		one.obtain("b").unlock();
		a.unlock();
	}

	@Test
	void theRegistryKeepsOneLockPerKeyAndForgetsUnusedOnes() throws Exception {
		CorosyncLockRegistry registry = new CorosyncLockRegistry(() -> cluster.lockService(1));
		CorosyncLock unused = registry.obtain("unused");
		assertThat(registry.obtain("unused")).isSameAs(unused);
		assertThat(registry.obtain("other")).isNotSameAs(unused);
		CorosyncLock held = registry.obtain("held");
		assertThat(held.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		Thread.sleep(20);
		registry.expireUnusedOlderThan(10);
		assertThat(registry.obtain("held")).isSameAs(held);
		assertThat(registry.obtain("unused")).isNotSameAs(unused);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(unused::tryLock)
			.withMessageContaining("evicted");
		held.unlock();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> registry.obtain("x".repeat(2000)));
	}

	private static Throwable catchCause(Future<?> future) throws InterruptedException {
		try {
			future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			throw new AssertionError("no exception");
		}
		catch (java.util.concurrent.ExecutionException ex) {
			return ex.getCause();
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError(ex);
		}
	}

	/** Waits until node 1's table shows {@code count} waiters for {@code resource}. */
	private static void awaitWaiters(String resource, int count) throws InterruptedException {
		Await.until(count + " waiting for " + resource, BOUND, () -> waiters(resource) == count);
	}

	private static int waiters(String resource) {
		try {
			for (LockResourceView view : cluster.lockService(1).resources().get(BOUND.toSeconds(), TimeUnit.SECONDS)) {
				if (view.name().equals(resource)) {
					return view.waiters().size();
				}
			}
			return 0;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
