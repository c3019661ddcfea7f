package io.corosync4j.spring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.cpg.CpgGroupChangedEvent;
import io.corosync4j.spring.cpg.CpgListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node's rings, synchronizations, quorum and group changes reach {@code @EventListener} methods, in
 * the order they happened: two nodes of a two-node nodelist, the second started and stopped beside the
 * first.
 */
class CorosyncEventsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path state;

	private final int port = FreePort.udp();

	private ApplicationContextRunner node(int nodeid) {
		List<String> properties = new ArrayList<>(List.of("corosync.totem.port=" + this.port,
				"corosync.totem.token=500", "corosync.local-address=127.0.0." + nodeid,
				"corosync.startup-settle=0s", "corosync.system.state-dir=" + this.state.resolve("n" + nodeid)));
		for (int i = 1; i <= 2; i++) {
			properties.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
			properties.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
		}
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withUserConfiguration(Recorder.class)
			.withPropertyValues(properties.toArray(String[]::new));
	}

	@Test
	void ringsSynchronizationsQuorumAndGroupChangesArePublishedInOrder() {
		node(1).run((first) -> {
			Recorder one = first.getBean(Recorder.class);
			Await.until("node 1 alone, synchronized", BOUND, () -> one.count(CorosyncSynchronizedEvent.class) >= 1);
			CorosyncMembershipChangedEvent alone = one.first(CorosyncMembershipChangedEvent.class);
			assertThat(alone.getMembership().members()).containsExactly(1L);
			assertThat(alone.getJoined()).containsExactly(1L);
			assertThat(alone.getLeft()).isEmpty();
			// one vote of two expected: not quorate, said once at start
			Await.until("the quorum at start", BOUND, () -> one.count(CorosyncQuorumChangedEvent.class) == 1);
			assertThat(one.first(CorosyncQuorumChangedEvent.class).isQuorate()).isFalse();

			node(2).run((second) -> {
				Await.until("node 2 in node 1's group", BOUND, () -> one.groupMembers().contains(2L));
				assertThat(one.last(CorosyncMembershipChangedEvent.class).getJoined()).containsExactly(2L);
				Await.until("quorum", BOUND, () -> one.last(CorosyncQuorumChangedEvent.class).isQuorate());
			});

			Await.until("node 2 gone", BOUND, () -> !one.groupMembers().contains(2L)
					&& one.last(CorosyncMembershipChangedEvent.class).getLeft().contains(2L));
			Await.until("quorum lost", BOUND, () -> !one.last(CorosyncQuorumChangedEvent.class).isQuorate());
			assertThat(one.count(CorosyncQuorumChangedEvent.class)).as("published only when it flips").isEqualTo(3);
			// quorum is decided as the synchronization ends, and said just before it
			Await.until("synchronized alone again", BOUND, () -> one.count(CorosyncSynchronizedEvent.class) >= 3);
			// each synchronization is of the ring announced last before it, with the same members
			CorosyncMembershipChangedEvent ring = null;
			int synchronizations = 0;
			for (ApplicationEvent event : one.node()) {
				if (event instanceof CorosyncMembershipChangedEvent changed) {
					ring = changed;
				}
				else if (event instanceof CorosyncSynchronizedEvent synced) {
					assertThat(ring).as("a ring before " + synced.getMembership()).isNotNull();
					assertThat(synced.getMembership().ringId()).isEqualTo(ring.getMembership().ringId());
					assertThat(synced.getMembership().members()).isEqualTo(ring.getMembership().members());
					synchronizations++;
				}
			}
			assertThat(synchronizations).as("alone, with node 2, alone again").isGreaterThanOrEqualTo(3);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Recorder {

		final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void ring(CorosyncMembershipChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void synced(CorosyncSynchronizedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void quorum(CorosyncQuorumChangedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void group(CpgGroupChangedEvent event) {
			this.events.add(event);
		}

		@CpgListener(group = "work")
		void work(String job) {
		}

		List<ApplicationEvent> node() {
			return this.events.stream().filter((event) -> !(event instanceof CpgGroupChangedEvent)).toList();
		}

		long count(Class<? extends ApplicationEvent> type) {
			return this.events.stream().filter(type::isInstance).count();
		}

		<E extends ApplicationEvent> E first(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
		}

		<E extends ApplicationEvent> E last(Class<E> type) {
			return this.events.stream().filter(type::isInstance).map(type::cast).reduce((a, b) -> b).orElseThrow();
		}

		List<Long> groupMembers() {
			return this.events.stream()
				.filter(CpgGroupChangedEvent.class::isInstance)
				.map((event) -> ((CpgGroupChangedEvent) event).getChange())
				.reduce((a, b) -> b)
				.map((change) -> change.members().stream().map(CpgAddress::nodeid).toList())
				.orElse(List.of());
		}

	}

}
