package io.corosync4j.engine.runtime;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.Mcast;
import io.corosync4j.engine.totem.wire.MembCommitToken;
import io.corosync4j.engine.totem.wire.MembEntry;
import io.corosync4j.engine.totem.wire.MembJoin;
import io.corosync4j.engine.totem.wire.MembMergeDetect;
import io.corosync4j.engine.totem.wire.OrfToken;
import io.corosync4j.engine.totem.wire.RingId;
import io.corosync4j.engine.totem.wire.RtrItem;
import io.corosync4j.engine.totem.wire.TokenHoldCancel;
import io.corosync4j.engine.totem.wire.TotemCodec;
import io.corosync4j.engine.totem.wire.TotemMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An exception escaping protocol or service work on a node's event loop stops that node at once
 * (fail-stop): it sends nothing more, the others see it fail and go on, and whoever embeds it is told.
 */
class FailStopTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aServiceThatThrowsOnDeliveryStopsItsNodeAndTheOthersGoOnWithoutIt() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<ThrowingService> services = new ArrayList<>();
			List<CorosyncNode> nodes = new ArrayList<>();
			for (int i = 1; i <= 3; i++) {
				ThrowingService service = new ThrowingService((node, text) -> node == 3 && text.equals("boom"), null);
				services.add(service);
				nodes.add(cluster.start(i, (builder) -> builder.service(service)));
			}
			cluster.awaitRing(BOUND);
			CorosyncNode third = nodes.get(2);
			CompletableFuture<NodeFailure> told = new CompletableFuture<>();
			AtomicReference<String> thread = new AtomicReference<>();
			third.addFailureListener((failure) -> {
				thread.set(Thread.currentThread().getName());
				told.complete(failure);
			});
			services.get(0).send("before");
			services.get(0).send("boom");
			services.get(0).send("after");

			NodeFailure failure = told.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(failure.nodeid()).isEqualTo(3);
			assertThat(failure.cause()).isInstanceOf(IllegalStateException.class).hasMessage("injected by the test");
			assertThat(failure.during()).startsWith("handling a ");
			assertThat(failure.exitStatus()).isEqualTo(NodeFailure.EXIT_FATAL);
			assertThat(third.failure()).isSameAs(failure);
			assertThat(thread.get()).isEqualTo("corosync-failure-3");
			long sent = third.transportStats().packetsSent();

			// the others see it fail, form a ring without it and deliver what it stopped on
			Predicate<Membership> withoutIt = (m) -> m.synced() && m.members().equals(List.of(1L, 2L));
			nodes.get(0).awaitMembership(withoutIt, BOUND);
			nodes.get(1).awaitMembership(withoutIt, BOUND);
			for (ThrowingService survivor : services.subList(0, 2)) {
				Await.until("the survivors deliver every message", BOUND,
						() -> survivor.delivered.equals(List.of("before", "boom", "after")));
			}
			assertThat(services.get(2).delivered).containsExactly("before");
			assertThat(third.transportStats().packetsSent()).as("nothing sent after the stop").isEqualTo(sent);
			// a listener added later hears of it at once
			List<NodeFailure> late = new ArrayList<>();
			third.addFailureListener(late::add);
			assertThat(late).containsExactly(failure);
		}
	}

	@Test
	void aServiceThatThrowsAtAConfigurationChangeStopsItsNodeThere() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.start(1, (builder) -> builder.service(new ThrowingService((node, text) -> false, null)));
			cluster.start(2, (builder) -> builder.service(new ThrowingService((node, text) -> false, null)));
			cluster.awaitRing(BOUND);
			CompletableFuture<NodeFailure> told = new CompletableFuture<>();
			cluster.start(3, (builder) -> builder
				.service(new ThrowingService((node, text) -> false, (change) -> change.members().size() == 3))
				.failureListener(told::complete));
			NodeFailure failure = told.get(BOUND.toSeconds(), TimeUnit.SECONDS);
			assertThat(failure.cause()).hasMessage("injected by the test");
			cluster.crash(3);
			assertThat(cluster.awaitRing(BOUND).members()).containsExactly(1L, 2L);
		}
	}

	@Test
	void forgedPacketsFromAListedAddressNeverStopANode() throws Exception {
		// well-formed Totem messages with random fields, some in the current ring, from node 3's address:
		// they may disturb the ring as a confused member would, but never stop a node
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = List.of(cluster.start(1), cluster.start(2));
			Membership ring = cluster.awaitRing(BOUND);
			SplittableRandom random = new SplittableRandom(42);
			int sent = 0;
			try (DatagramSocket forger = new DatagramSocket(new InetSocketAddress(LocalCluster.address(3), cluster.port))) {
				for (int i = 0; i < 20_000; i++) {
					byte[] bytes = TotemCodec.encode(forged(random, ring.ringId()));
					for (int node = 1; node <= 2; node++) {
						forger.send(new DatagramPacket(bytes, bytes.length,
								new InetSocketAddress(LocalCluster.address(node), cluster.port)));
						sent++;
					}
					if (i % 500 == 0) {
						assertThat(nodes).allSatisfy((node) -> assertThat(node.failure()).isNull());
					}
				}
			}
			System.out.printf("%d forged packets sent%n", sent);
			assertThat(cluster.awaitRing(BOUND).members()).containsExactly(1L, 2L);
			assertThat(nodes).allSatisfy((node) -> assertThat(node.failure()).isNull());
			// those that could not be the node's own were counted, not applied
			assertThat(nodes).anySatisfy((node) -> assertThat(node.totemStats().get("rx_msg_dropped")).isPositive());
		}
	}

	private static TotemMessage forged(SplittableRandom random, @Nullable RingId current) {
		RingId ring = (current != null && random.nextBoolean()) ? current
				: new RingId(random.nextInt(1, 4), random.nextBoolean() ? random.nextLong(0, 1L << 32) : random.nextInt(0, 64));
		long from = random.nextInt(1, 5);
		return switch (random.nextInt(6)) {
			case 0 -> new Mcast(from, 0, random.nextInt(3), from, seq(random), seq(random), ring, from, 0,
					new byte[random.nextInt(0, 1200)], false);
			case 1 -> new OrfToken(from, random.nextInt(0, 4), seq(random), seq(random), seq(random), random.nextInt(0, 4),
					ring, random.nextInt(0, 100), random.nextInt(0, 100), random.nextInt(2),
					List.of(new RtrItem(ring, seq(random))));
			case 2 -> new MembJoin(from, 0, from, nodes(random), nodes(random), random.nextLong(0, 1L << 32));
			case 3 -> {
				List<Long> members = nodes(random);
				List<MembEntry> entries = new ArrayList<>();
				for (int i = 0; i < members.size(); i++) {
					entries.add(new MembEntry(ring, seq(random), seq(random), random.nextInt(2)));
				}
				yield new MembCommitToken(from, random.nextInt(0, 4), random.nextInt(0, 10), ring, random.nextInt(2),
						random.nextInt(0, members.size() + 1), members, entries);
			}
			case 4 -> new MembMergeDetect(from, 0, from, ring);
			default -> new TokenHoldCancel(from, 0, ring);
		};
	}

	private static long seq(SplittableRandom random) {
		return random.nextBoolean() ? random.nextInt(0, 200) : random.nextLong(0, 1L << 32);
	}

	private static List<Long> nodes(SplittableRandom random) {
		List<Long> nodes = new ArrayList<>();
		for (long node = 1; node <= 4; node++) {
			if (random.nextBoolean()) {
				nodes.add(node);
			}
		}
		return nodes;
	}

	/** A service of its own (id 30) whose delivery or configuration change throws where the test says. */
	static final class ThrowingService implements ServiceEngine {

		interface Trigger {

			boolean fires(long node, String text);

		}

		private final Trigger onDelivery;

		private final @Nullable Predicate<ConfigurationChange> onChange;

		final List<String> delivered = Collections.synchronizedList(new ArrayList<>());

		private volatile @Nullable ServiceContext context;

		ThrowingService(Trigger onDelivery, @Nullable Predicate<ConfigurationChange> onChange) {
			this.onDelivery = onDelivery;
			this.onChange = onChange;
		}

		@Override
		public int serviceId() {
			return 30;
		}

		@Override
		public String name() {
			return "thrower";
		}

		@Override
		public int functionCount() {
			return 1;
		}

		@Override
		public void start(ServiceContext context) {
			this.context = context;
		}

		@Override
		public void deliver(long nodeid, int function, byte[] message, boolean bigEndian) {
			String text = new String(message, ServiceHeader.SIZE, message.length - ServiceHeader.SIZE,
					StandardCharsets.US_ASCII);
			if (this.onDelivery.fires(this.context.nodeId(), text)) {
				throw new IllegalStateException("injected by the test");
			}
			this.delivered.add(text);
		}

		@Override
		public void configurationChange(ConfigurationChange change) {
			if (change.type() == ConfigurationType.REGULAR && this.onChange != null && this.onChange.test(change)) {
				throw new IllegalStateException("injected by the test");
			}
		}

		void send(String text) throws Exception {
			byte[] body = text.getBytes(StandardCharsets.US_ASCII);
			ByteBuffer message = ServiceHeader.allocate(30, 0, ServiceHeader.SIZE + body.length);
			message.put(ServiceHeader.SIZE, body);
			ServiceContext current = this.context;
			long deadline = System.nanoTime() + BOUND.toNanos();
			while (true) {
				CompletableFuture<Boolean> queued = new CompletableFuture<>();
				current.loop().execute(() -> queued.complete(!current.synchronizing() && current.mcast(message.array())));
				if (queued.get(5, TimeUnit.SECONDS)) {
					return;
				}
				if (System.nanoTime() > deadline) {
					throw new AssertionError("could not queue '" + text + "' within " + BOUND);
				}
				Thread.sleep(10);
			}
		}

	}

}
