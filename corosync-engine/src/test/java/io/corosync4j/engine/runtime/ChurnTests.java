package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.fixtures.CpgChecker;
import io.corosync4j.engine.fixtures.MessageId;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgService;
import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation's fault scenarios replayed on real sockets: four nodes in this JVM on 127.0.0.1-4,
 * traffic from all of them, and faults injected by a filter on what each node receives (loss,
 * partitions, a node deaf to data), by crashes, clean leaves and a stalled event loop. Every delivery
 * and configuration change goes through {@link DeliveryChecker}, and every node's CPG handle in one
 * group through {@link CpgChecker}.
 */
class ChurnTests {

	private static final int NODES = 4;

	private static final Duration BOUND = Duration.ofSeconds(60);

	enum Scenario {

		LOSSY, CRASH_RESTART, PARTITION, FREEZE, LEAVE, DEAF

	}

	@TempDir
	Path directory;

	private final DeliveryChecker checker = new DeliveryChecker();

	private final CpgChecker cpgChecker = new CpgChecker();

	private final Map<Integer, Running> running = new ConcurrentHashMap<>();

	private final Map<Integer, Integer> incarnations = new ConcurrentHashMap<>();

	private final SplittableRandom random = new SplittableRandom(7);

	private volatile double loss;

	private volatile Map<InetAddress, Integer> partition = Map.of();

	private final Set<Integer> deaf = ConcurrentHashMap.newKeySet();

	private volatile boolean sending = true;

	@ParameterizedTest
	@EnumSource(Scenario.class)
	void evsHoldsOnRealSockets(Scenario scenario) throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, NODES, 300)) {
			cluster.extraTotem = " token_coefficient: 0\n";
			for (int node = 1; node <= NODES; node++) {
				start(cluster, node);
			}
			cluster.awaitRing(BOUND);
			Thread sender = new Thread(this::sendLoop, "churn-sender");
			sender.start();
			try {
				faults(cluster, scenario);
				heal(cluster);
				long healed = System.nanoTime();
				cluster.awaitRing(BOUND);
				long converged = (System.nanoTime() - healed) / 1_000_000;
				// traffic goes on a little in the healed ring before the senders stop
				Thread.sleep(300);
				this.sending = false;
				sender.join(10_000);
				Await.until("own messages delivered", BOUND, () -> this.checker.undeliveredOwnMessages().isEmpty()
						&& this.cpgChecker.undeliveredOwnMessages().isEmpty(), this.checker::undeliveredOwnMessages);
				System.out.printf("%s on sockets: %d deliveries, %d configuration changes, %d CPG events, one ring %d ms "
						+ "after the heal%n", scenario, this.checker.deliveries, this.checker.configurations,
						this.cpgChecker.events(), converged);
			}
			finally {
				this.sending = false;
				sender.join(10_000);
			}
			assertThat(this.checker.violations()).isEmpty();
			assertThat(this.checker.undeliveredOwnMessages()).as("own messages of live nodes").isEmpty();
			assertThat(this.cpgChecker.violations()).as("CPG virtual synchrony").isEmpty();
			assertThat(this.cpgChecker.undeliveredOwnMessages()).as("own CPG messages of live handles").isEmpty();
			assertThat(this.checker.deliveries).isPositive();
		}
	}

	/** The scenario's script: the sleeps are how long each fault lasts, not waits for something to happen. */
	private void faults(LocalCluster cluster, Scenario scenario) throws Exception {
		Thread.sleep(300);
		switch (scenario) {
			case LOSSY -> {
				this.loss = 0.1;
				Thread.sleep(3000);
			}
			case CRASH_RESTART -> {
				crash(cluster, 3);
				Thread.sleep(1500);
				start(cluster, 3);
				Thread.sleep(300);
				crash(cluster, 1);
				Thread.sleep(1000);
			}
			case PARTITION -> {
				this.partition = Map.of(LocalCluster.address(1), 0, LocalCluster.address(2), 0, LocalCluster.address(3), 1,
						LocalCluster.address(4), 1);
				Thread.sleep(2500);
			}
			case FREEZE -> {
				// a stop-the-world pause twice as long as the token timeout
				cluster.node(2).eventLoop().execute(() -> LockSupport.parkNanos(Duration.ofMillis(600).toNanos()));
				Thread.sleep(2500);
			}
			case LEAVE -> {
				Running leaving = this.running.remove(3);
				this.checker.stopped(leaving.process);
				this.cpgChecker.stopped(leaving.member);
				cluster.leave(3);
				Thread.sleep(1000);
				start(cluster, 3);
				Thread.sleep(500);
			}
			case DEAF -> {
				this.deaf.add(2);
				Thread.sleep(3000);
			}
		}
	}

	private void heal(LocalCluster cluster) {
		this.loss = 0;
		this.partition = Map.of();
		this.deaf.clear();
		for (int node = 1; node <= NODES; node++) {
			if (!cluster.isRunning(node)) {
				start(cluster, node);
			}
		}
	}

	private void start(LocalCluster cluster, int node) {
		int incarnation = this.incarnations.merge(node, 1, Integer::sum);
		DeliveryChecker.Process process = this.checker.started(node, incarnation);
		InetAddress self = LocalCluster.address(node);
		CorosyncNode started = cluster.start(node, (builder) -> builder
			.inboundFilter((message, sender) -> pass(node, self, message, sender))
			.cpg(new CpgService(CpgService.DEFAULT_QUEUE_CAPACITY, 1000L * incarnation + node)));
		CpgChecker.Member member = this.cpgChecker.joined("n" + node + "/" + incarnation, node,
				1000L * incarnation + node);
		CpgHandle handle = started.cpg().join(CpgName.of("churn"), new CpgListener() {

			@Override
			public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
				ChurnTests.this.cpgChecker.delivered(member, message);
			}

			@Override
			public void configurationChange(CpgConfigurationChange change) {
				ChurnTests.this.cpgChecker.changed(member, change);
			}

		});
		CorosyncNode.GroupChannel channel = started.openGroup(new Group("churn"), new Totempg.GroupListener() {

			@Override
			public void deliver(long from, byte[] message, boolean bigEndian) {
				ChurnTests.this.checker.delivered(process, from, message);
			}

			@Override
			public void configurationChange(ConfigurationChange change) {
				ChurnTests.this.checker.configuration(process, change);
			}

		});
		this.running.put(node, new Running(started, process, channel, handle, member));
	}

	private void crash(LocalCluster cluster, int node) {
		Running crashed = this.running.remove(node);
		this.checker.stopped(crashed.process);
		this.cpgChecker.stopped(crashed.member);
		cluster.crash(node);
	}

	private boolean pass(int node, InetAddress self, TotemMessage message, InetSocketAddress sender) {
		if (this.loss > 0 && ThreadLocalRandom.current().nextDouble() < this.loss) {
			return false;
		}
		Map<InetAddress, Integer> groups = this.partition;
		if (!groups.isEmpty() && !groups.get(self).equals(groups.get(sender.getAddress()))) {
			return false;
		}
		return !(this.deaf.contains(node) && message instanceof Mcast && !sender.getAddress().equals(self));
	}

	private void sendLoop() {
		while (this.sending) {
			List<Running> nodes = List.copyOf(this.running.values());
			if (!nodes.isEmpty()) {
				Running target = nodes.get(this.random.nextInt(nodes.size()));
				MessageId id;
				synchronized (target.process) {
					id = target.process.next();
				}
				// one in eight up to 33 KB: fragment chains that membership changes cut
				byte[] payload = id.payload((this.random.nextInt(8) == 0) ? this.random.nextInt(1_000, 33_000)
						: this.random.nextInt(0, 300));
				target.channel.send(payload).thenAccept((queued) -> {
					if (queued) {
						this.checker.accepted(target.process, id);
					}
				});
				MessageId cpgId;
				synchronized (target.process) {
					cpgId = target.process.next();
				}
				try {
					int size = (this.random.nextInt(8) == 0) ? this.random.nextInt(1_000, 33_000) : 16;
					if (target.handle.mcast(cpgId.payload(size)) == CpgHandle.SendResult.OK) {
						this.cpgChecker.accepted(target.member, cpgId);
					}
				}
				catch (IllegalStateException ex) {
					// the handle's node is going away
				}
			}
			LockSupport.parkNanos(Duration.ofMillis(2).toNanos());
		}
	}

	private record Running(CorosyncNode node, DeliveryChecker.Process process, CorosyncNode.GroupChannel channel,
			CpgHandle handle, CpgChecker.Member member) {
	}

}
