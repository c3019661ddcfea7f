package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of {@code docs/cpg.md}, run on a two-node ring: node 1 joins, multicasts and leaves as the
 * page shows, and a process on node 2 sees it join, its message, and its LEAVE.
 */
class CpgDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aHandleJoinsSendsAndLeavesAsThePageSays() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			List<CpgConfigurationChange> watched = new CopyOnWriteArrayList<>();
			List<String> watchedMessages = new CopyOnWriteArrayList<>();
			CpgHandle watcher = cluster.node(2).cpg().join(CpgName.of("orders"), new CpgListener() {

				@Override
				public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
					watchedMessages.add(new String(message, UTF_8));
				}

				@Override
				public void configurationChange(CpgConfigurationChange change) {
					watched.add(change);
				}

			});
			watcher.joined().toCompletableFuture().get(30, TimeUnit.SECONDS);
			CorosyncNode node = cluster.node(1);

			// tag::join[]
			BlockingQueue<String> events = new LinkedBlockingQueue<>();
			CpgHandle handle = node.cpg().join(CpgName.of("orders"), new CpgListener() {

				@Override
				public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
					events.add(nodeid + "/" + pid + ": " + new String(message, UTF_8));
				}

				@Override
				public void configurationChange(CpgConfigurationChange change) {
					// members(), left() and joined(), with reasons JOIN, LEAVE, NODEDOWN, NODEUP,
					// PROCDOWN: the same change at the same point of the order on every member
					events.add("members " + change.members() + " joined " + change.joined());
				}
			});
			handle.joined().toCompletableFuture().join();                  // own join delivered
			byte[] order = "apples 3".getBytes(UTF_8);
			if (handle.mcast(order) == CpgHandle.SendResult.TRY_AGAIN) {   // the send queue is full: back off,
				handle.mcast(order, Duration.ofSeconds(5));                  // or wait up to 5 s for room
			}
			// end::join[]
			long pid = handle.pid();
			assertThat(events.poll(30, TimeUnit.SECONDS))
				.isEqualTo("members [1/" + pid + ", 2/" + watcher.pid() + "] joined [1/" + pid + "/JOIN]");
			assertThat(events.poll(30, TimeUnit.SECONDS)).isEqualTo("1/" + pid + ": apples 3");
			// tag::join[]
			handle.close();                                                  // leave: LEAVE for the others
			// end::join[]
			Await.until("node 2 sees the leave", BOUND, () -> watched.size() == 3);
			assertThat(watchedMessages).containsExactly("apples 3");
			assertThat(watched.get(2).left()).singleElement().isEqualTo(new CpgAddress(1, pid, CpgReason.LEAVE));
		}
	}

}
