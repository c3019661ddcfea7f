package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockError;
import io.corosync4j.engine.lock.LockException;
import io.corosync4j.engine.lock.LockMode;
import io.corosync4j.engine.lock.LockRequest;
import io.corosync4j.engine.lock.LockResourceView;
import io.corosync4j.engine.lock.LockService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The examples of {@code docs/locks.md}, run on a two-node ring. */
class LockDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void locksAreTakenAndReleasedAsThePageSays() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			CorosyncNode other = cluster.node(2);
			other.locks().ready().toCompletableFuture().get(30, TimeUnit.SECONDS);
			List<Long> written = new ArrayList<>();

			// tag::lock[]
			LockService locks = node.locks();
			HeldLock lock = locks.lock(LockRequest.exclusive("invoices").withTimeout(Duration.ofSeconds(10)))
				.get();   // fails with a LockException naming the LockError
			try {
				written.add(lock.fencingToken());   // hand it to the store you write to
			}
			finally {
				lock.unlock();
			}
			// end::lock[]

			// tag::options[]
			LockRequest request = LockRequest.exclusive("nightly-report")
				.withTimeout(Duration.ofSeconds(30))   // LockError.TIMEOUT after that
				.withGrace(Duration.ofSeconds(5))      // held 5 s more if this node leaves the ring
				.withDeadlockDetection(true)           // LockError.DEADLOCK instead of waiting forever
				.withOwner(Thread.currentThread().getId());
			CompletableFuture<HeldLock> granted = locks.lock(request);
			granted.thenAccept((held) -> held.whenLost().thenAccept((why) -> stopWriting(why)));
			// end::options[]
			HeldLock report = granted.get(30, TimeUnit.SECONDS);

			// tag::try[]
			try {
				other.locks().tryLock("nightly-report", LockMode.EXCLUSIVE).get();
			}
			catch (ExecutionException ex) {
				LockError why = ((LockException) ex.getCause()).error();   // NOT_AVAILABLE: someone holds it
				assertThat(why).isEqualTo(LockError.NOT_AVAILABLE);
			}
			// end::try[]

			// tag::view[]
			for (LockResourceView resource : locks.resources().get()) {
				System.out.println(resource.name() + " held by " + resource.holders() + ", waited for by "
						+ resource.waiters());
			}
			System.out.println(locks.statistics());
			// end::view[]
			assertThat(locks.resources().get()).extracting(LockResourceView::name).containsExactly("nightly-report");
			report.unlock().get(30, TimeUnit.SECONDS);
			assertThat(written).singleElement().satisfies((token) -> assertThat(token).isPositive());
		}
	}

	private static void stopWriting(LockError why) {
		assertThat(why).isNotNull();
	}

}
