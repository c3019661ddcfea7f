package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.engine.service.cpg.CpgService;
import io.corosync4j.engine.service.cpg.CpgTotemConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CPG between nodes on real sockets in this JVM: every member sees the same messages and the same
 * configuration changes in the same order.
 */
class CpgNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final CpgName GROUP = CpgName.of("orders");

	@TempDir
	Path directory;

	@Test
	void membersSeeTheSameMessagesAndChangesInTheSameOrder() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			List<CorosyncNode> nodes = cluster.startAll();
			cluster.awaitRing(BOUND);
			List<Recorder> recorders = new ArrayList<>();
			List<CpgHandle> handles = new ArrayList<>();
			for (CorosyncNode node : nodes) {
				Recorder recorder = new Recorder();
				recorders.add(recorder);
				CpgHandle handle = node.cpg().join(GROUP, recorder, true);
				handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
				handles.add(handle);
			}
			awaitMembers(handles, 3);
			for (int i = 0; i < 200; i++) {
				for (CpgHandle handle : handles) {
					byte[] message = (handle.nodeId() + ":" + i).getBytes();
					assertThat(handle.mcast(message, BOUND)).isTrue();
				}
			}
			// one message bigger than the atomic size travels in pieces and arrives whole
			byte[] large = new byte[CpgService.MAX_ATOMIC_SIZE * 2 + 12345];
			new java.util.Random(1).nextBytes(large);
			assertThat(handles.get(1).mcast(large, BOUND)).isTrue();
			awaitCount(recorders, 601);
			// each saw its own join and those after it; from the last join on, everything is the same
			List<String> first = sinceLastJoin(recorders.get(0).events());
			assertThat(first.get(0)).contains("joined [3/");
			assertThat(sinceLastJoin(recorders.get(1).events())).isEqualTo(first);
			assertThat(sinceLastJoin(recorders.get(2).events())).isEqualTo(first);
			assertThat(first).last().asString().startsWith("2/").endsWith("len " + large.length);
			assertThat(recorders.get(0).totem).isNotEmpty();

			// a node that leaves the ring: its process goes with NODEDOWN, at the same point everywhere
			cluster.crash(3);
			for (int i = 0; i < 2; i++) {
				awaitEvent(recorders.get(i), "change members [1/", "left [3/");
			}
			assertThat(recorders.get(0).changes()).last().satisfies((change) -> {
				assertThat(change.left()).singleElement().extracting(CpgAddress::reason).isEqualTo(CpgReason.NODEDOWN);
				assertThat(change.members()).extracting(CpgAddress::nodeid).containsExactly(1L, 2L);
			});
			assertThat(recorders.get(1).changes()).last().isEqualTo(recorders.get(0).changes().get(
					recorders.get(0).changes().size() - 1));

			// a clean leave is LEAVE, and the handle stops receiving
			handles.get(1).leave().toCompletableFuture().get(30, TimeUnit.SECONDS);
			awaitEvent(recorders.get(0), "left [2/");
			assertThat(recorders.get(0).changes()).last().extracting((change) -> change.left().get(0).reason())
				.isEqualTo(CpgReason.LEAVE);
			assertThat(handles.get(0).membership()).extracting(CpgAddress::nodeid).containsExactly(1L);
		}
	}

	@Test
	void aFullSendQueueAsksToTryAgainAndMemoryStaysBounded() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 1, 500)) {
			CpgService cpg = new CpgService(CpgService.MAX_ATOMIC_SIZE);
			CorosyncNode node = cluster.start(1, (builder) -> builder.cpg(cpg));
			cluster.awaitRing(BOUND);
			Recorder recorder = new Recorder();
			CpgHandle handle = cpg.join(GROUP, recorder);
			handle.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			byte[] message = new byte[64 * 1024];
			int tryAgain = 0;
			int sent = 0;
			for (int i = 0; i < 2000; i++) {
				if (handle.mcast(message) == CpgHandle.SendResult.OK) {
					sent++;
				}
				else {
					tryAgain++;
				}
			}
			assertThat(tryAgain).as("TRY_AGAIN answers from a sender that never stops").isPositive();
			awaitCount(List.of(recorder), sent);
			assertThat(node.membership().members()).containsExactly(1L);
		}
	}

	/**
	 * A handle may join and send as soon as its node starts: CPG holds both until the node's first
	 * synchronization completes, as Corosync answers TRY_AGAIN until then. Whatever ring the new node
	 * forms first, every member that delivers one of its messages delivers it in the same group view
	 * (before the fix the new node saw its own join in a view of its own and its messages there, while
	 * the others delivered them in the full view).
	 */
	@Test
	void aHandleThatJoinsAndSendsRightAfterStartSeesItsMessagesInTheViewTheOthersSee() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.start(1);
			cluster.start(2);
			Await.until("nodes 1 and 2 in one ring", BOUND,
					() -> cluster.node(1).membership().members().size() == 2);
			List<ViewRecorder> recorders = new ArrayList<>();
			for (int n = 1; n <= 2; n++) {
				ViewRecorder recorder = new ViewRecorder();
				recorders.add(recorder);
				cluster.node(n).cpg().join(GROUP, recorder).joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			}
			CorosyncNode third = cluster.start(3);
			ViewRecorder newcomer = new ViewRecorder();
			recorders.add(newcomer);
			CpgHandle handle = third.cpg().join(GROUP, newcomer, true);
			for (int i = 0; i < 50; i++) {
				assertThat(handle.mcast(("3:" + i).getBytes(), BOUND)).isTrue();
			}
			// it may form a ring of its own first and deliver them alone: that is a view of its own too
			Await.until("the newcomer's messages delivered and one group of three", BOUND,
					() -> newcomer.viewOf("3:49") != null && recorders.stream().allMatch((r) -> r.members() == 3));
			for (int i = 0; i < 50; i++) {
				String message = "3:" + i;
				String view = newcomer.viewOf(message);
				for (ViewRecorder recorder : recorders) {
					String seen = recorder.viewOf(message);
					if (seen != null) {
						assertThat(seen).as(message).isEqualTo(view);
					}
				}
			}
			assertThat(newcomer.totem).allSatisfy((configuration) -> assertThat(configuration.members()).isNotEmpty());
		}
	}

	/** The group view each message was delivered in. */
	static final class ViewRecorder implements CpgListener {

		private final Map<String, String> views = new ConcurrentHashMap<>();

		final List<CpgTotemConfiguration> totem = Collections.synchronizedList(new ArrayList<>());

		private volatile String view = "[]";

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			this.views.put(new String(message), this.view);
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			this.view = change.members().stream().map((member) -> member.nodeid() + "/" + member.pid()).toList().toString();
		}

		@Override
		public void totemConfigurationChange(CpgTotemConfiguration configuration) {
			this.totem.add(configuration);
		}

		int members() {
			return this.view.isEmpty() || this.view.equals("[]") ? 0 : this.view.split(",").length;
		}

		@Nullable String viewOf(String message) {
			return this.views.get(message);
		}

	}

	private static List<String> sinceLastJoin(List<String> events) {
		for (int i = 0; i < events.size(); i++) {
			if (events.get(i).contains("joined [3/")) {
				return events.subList(i, events.size());
			}
		}
		return events;
	}

	private static void awaitMembers(List<CpgHandle> handles, int count) throws InterruptedException {
		Await.until(count + " members everywhere", BOUND,
				() -> handles.stream().allMatch((h) -> h.membership().size() == count));
	}

	private static void awaitCount(List<Recorder> recorders, int messages) throws InterruptedException {
		Await.until(messages + " messages at every handle", BOUND,
				() -> recorders.stream().allMatch((r) -> r.messages() >= messages));
		assertThat(recorders).allSatisfy((r) -> assertThat(r.messages()).isEqualTo(messages));
	}

	private static void awaitEvent(Recorder recorder, String... parts) throws InterruptedException {
		Await.until("an event with " + List.of(parts), BOUND, () -> {
			List<String> events = recorder.events();
			return !events.isEmpty() && List.of(parts).stream().allMatch(events.get(events.size() - 1)::contains);
		}, recorder::events);
	}

	/** Everything a handle saw, in order. */
	static final class Recorder implements CpgListener {

		private final List<String> events = Collections.synchronizedList(new ArrayList<>());

		private final List<CpgConfigurationChange> changes = Collections.synchronizedList(new ArrayList<>());

		final List<CpgTotemConfiguration> totem = Collections.synchronizedList(new ArrayList<>());

		private int messages;

		@Override
		public synchronized void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			this.messages++;
			this.events.add(nodeid + "/" + pid + " " + ((message.length < 100) ? new String(message) : "len " + message.length));
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			this.changes.add(change);
			this.events.add("change members " + change.members() + " left " + change.left() + " joined " + change.joined());
		}

		@Override
		public void totemConfigurationChange(CpgTotemConfiguration configuration) {
			this.totem.add(configuration);
		}

		synchronized int messages() {
			return this.messages;
		}

		List<String> events() {
			synchronized (this.events) {
				return List.copyOf(this.events);
			}
		}

		List<CpgConfigurationChange> changes() {
			synchronized (this.changes) {
				return List.copyOf(this.changes);
			}
		}

	}

}
