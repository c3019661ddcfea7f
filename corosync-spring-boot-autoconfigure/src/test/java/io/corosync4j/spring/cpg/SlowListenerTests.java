package io.corosync4j.spring.cpg;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.corosync4j.spring.FreePort;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A member whose listeners fall behind never holds up the node's event loop: it leaves the group at one
 * point of the agreed order, its listeners still get everything delivered before that point, and it
 * joins again once they caught up. Another member of the group (a process of the same node, through the
 * engine's CPG API) watches the order.
 */
class SlowListenerTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aMemberWhoseListenersFallBehindLeavesAtOnePointOfTheOrderAndJoinsAgain() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withUserConfiguration(Slow.class)
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"), "corosync.cpg.listener-queue=64KB")
			.run((context) -> {
				Slow slow = context.getBean(Slow.class);
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				long slowPid = context.getBean(CpgListenerEndpointRegistry.class).handleFor("slow").pid();
				Observer observer = new Observer();
				CpgHandle watcher = node.cpg().join(CpgName.of("slow"), observer);
				watcher.joined().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);

				// 400 messages of 1 KiB while the listener is stuck on the first: more than 64 KB waits
				for (int i = 0; i < 400; i++) {
					byte[] message = ByteBuffer.allocate(1024).putInt(0, i).array();
					assertThat(watcher.mcast(message, BOUND)).isTrue();
				}
				Await.until("the watcher sees the slow member leave", BOUND, () -> observer.left(slowPid) >= 0);
				int leftAt = observer.left(slowPid);
				// more than 64 KB waited before it left; its leave follows what was queued to send before it
				assertThat(leftAt).isGreaterThanOrEqualTo(64);

				slow.release.countDown();
				Await.until("the slow member joins again", BOUND, () -> observer.joinedAfter(leftAt) != null);
				// its listener got exactly what was delivered before it left, in order
				Await.until("the listener catches up", BOUND, () -> slow.received.size() >= leftAt);
				assertThat(slow.received).containsExactlyElementsOf(observer.received.subList(0, leftAt));
				assertThat(slow.errors).singleElement().asString()
					.contains(CpgListenerFellBehindException.class.getSimpleName())
					.contains("joins again once they caught up");
				CpgListenerEndpointRegistry.GroupStatistics statistics = context
					.getBean(CpgListenerEndpointRegistry.class).getStatistics().get("slow");
				assertThat(statistics.fellBehind()).isEqualTo(1);
				// its membership listener saw itself leave, then join again
				assertThat(slow.changes).anySatisfy((change) -> assertThat(change.left())
					.anyMatch((gone) -> gone.pid() == slowPid && gone.reason() == CpgReason.LEAVE));

				// after rejoining it receives again
				byte[] next = ByteBuffer.allocate(4).putInt(0, 1000).array();
				assertThat(watcher.mcast(next, BOUND)).isTrue();
				Await.until("the rejoined member receives", BOUND, () -> slow.received.contains(1000));
				watcher.close();
			});
	}

	/** Records the group's order as another member sees it: message numbers, and where members left and joined. */
	static final class Observer implements io.corosync4j.engine.service.cpg.CpgListener {

		final List<Integer> received = new CopyOnWriteArrayList<>();

		private final List<long[]> lefts = new CopyOnWriteArrayList<>();

		private final List<long[]> joins = new CopyOnWriteArrayList<>();

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] payload) {
			this.received.add(ByteBuffer.wrap(payload).getInt(0));
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			for (CpgAddress gone : change.left()) {
				this.lefts.add(new long[] { gone.pid(), this.received.size() });
			}
			for (CpgAddress joined : change.joined()) {
				this.joins.add(new long[] { joined.pid(), this.received.size() });
			}
		}

		/** How many messages were delivered before {@code pid} left, or -1. */
		int left(long pid) {
			return this.lefts.stream().filter((l) -> l[0] == pid).mapToInt((l) -> (int) l[1]).findFirst().orElse(-1);
		}

		long[] joinedAfter(int position) {
			return this.joins.stream().filter((j) -> j[1] >= position).findFirst().orElse(null);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Slow {

		final CountDownLatch release = new CountDownLatch(1);

		final List<Integer> received = new CopyOnWriteArrayList<>();

		final List<CpgConfigurationChange> changes = new CopyOnWriteArrayList<>();

		final List<String> errors = new CopyOnWriteArrayList<>();

		@CpgListener(group = "slow")
		void receive(byte[] message) throws InterruptedException {
			this.release.await(30, TimeUnit.SECONDS);
			this.received.add(ByteBuffer.wrap(message).getInt(0));
		}

		@CpgMembershipListener(group = "slow")
		void changed(CpgConfigurationChange change) {
			this.changes.add(change);
		}

		@Bean
		CpgListenerErrorHandler cpgListenerErrorHandler() {
			return (group, message, error) -> this.errors.add(error.toString());
		}

	}

}
