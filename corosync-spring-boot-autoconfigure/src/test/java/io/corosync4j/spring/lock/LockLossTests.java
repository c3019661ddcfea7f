package io.corosync4j.spring.lock;

import java.util.ConcurrentModificationException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.lock.LockService;
import io.corosync4j.spring.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.corosync4j.spring.lock.LockCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Locks of a member whose partition loses quorum: a two-node ring where one node stops leaves the other
 * without quorum, and its holders learn at their next call that their locks are lost.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LockLossTests {

	@Test
	void aLockLostWithQuorumFailsItsUnlockAndItsNextLock() throws Exception {
		try (LockCluster cluster = LockCluster.start(2)) {
			CorosyncLockRegistry registry = cluster.registry(1);
			CorosyncLock unlocked = registry.obtain("unlocked");
			CorosyncLock relocked = registry.obtain("relocked");
			assertThat(unlocked.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(relocked.tryLock(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			relocked.lock();
			LockService service = cluster.lockService(1);
			cluster.stopNode(2);
			Await.until("the locks lost", BOUND,
					() -> !unlocked.isHeldByCurrentThread() && !relocked.isHeldByCurrentThread());
			assertThat(service.inPrimaryComponent()).isFalse();
			assertThat(service.statistics().lost()).isEqualTo(2);

			assertThatExceptionOfType(ConcurrentModificationException.class).isThrownBy(unlocked::unlock)
				.withMessageContaining("not in the primary");
			assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(unlocked::unlock);

			// held twice: locking again fails and ends the hold
			assertThat(relocked.tryLock()).isFalse();
			assertThat(relocked.isAcquiredInThisProcess()).isFalse();
			assertThatExceptionOfType(IllegalMonitorStateException.class).isThrownBy(relocked::unlock);
			// without quorum nothing is granted
			assertThat(relocked.tryLock()).isFalse();
			assertThat(relocked.tryLock(200, TimeUnit.MILLISECONDS)).isFalse();
		}
	}

}
