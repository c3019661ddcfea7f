package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cfg.CfgException;
import io.corosync4j.engine.service.cfg.LinkStatus;
import io.corosync4j.engine.service.cfg.ShutdownFlag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The example of {@code docs/cfg.md}, run on a three-node ring: link status, a reload every member
 * applies, a killed member, and a shutdown that a listener first vetoes and then allows.
 */
class CfgDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	/** What the application's shutdown listener answers. */
	private volatile boolean ready;

	@Test
	void linksReloadKillAndShutdownWorkAsThePageSays() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			// every node's file gets a key Corosync applies at run time
			cluster.extraTotem = " token_retransmits_before_loss_const: 6";
			for (int member = 1; member <= 3; member++) {
				cluster.configFile(member);
			}

			// tag::cfg[]
			List<LinkStatus> links = node.cfg().linkStatus();                  // corosync-cfgtool -s
			node.cfg().reload().join();                                        // corosync-cfgtool -R: every member re-reads its file
			node.cfg().killNode(3, "replacing disk").join();                   // corosync-cfgtool -k 3: node 3 logs why, stops
			node.cfg().addShutdownListener(flag -> CompletableFuture.completedFuture(readyToStop()));
			// end::cfg[]

			assertThat(links.get(0).nodes()).hasSize(3).allMatch(LinkStatus.Node::connected);
			for (int member = 1; member <= 2; member++) {
				CorosyncNode reloaded = cluster.node(member);
				Await.until("node " + member + " reloaded", BOUND,
						() -> reloaded.cmap().getLong("totem.token_retransmits_before_loss_const").orElse(0L) == 6);
			}
			Await.until("node 3 stopped", BOUND, cluster.node(3)::isClosed);
			cluster.leave(3);
			cluster.awaitRing(BOUND);
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> node.cfg().shutdown(ShutdownFlag.REQUEST).join())
				.withCauseInstanceOf(CfgException.class)
				.matches((ex) -> ((CfgException) ex.getCause()).error() == CfgException.Error.BUSY);
			this.ready = true;

			// tag::cfg[]
			node.cfg().shutdown(ShutdownFlag.REQUEST).join();                  // corosync-cfgtool -H; a veto: CfgException(BUSY)
			// end::cfg[]
			Await.until("node 1 shut down", BOUND, node::isClosed);
		}
	}

	private boolean readyToStop() {
		return this.ready;
	}

}
