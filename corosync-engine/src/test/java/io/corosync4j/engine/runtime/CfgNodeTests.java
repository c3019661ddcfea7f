package io.corosync4j.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CmapIpcAccess;
import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.service.cfg.CfgException;
import io.corosync4j.engine.service.cfg.LinkStatus;
import io.corosync4j.engine.service.cfg.ShutdownFlag;
import io.corosync4j.engine.service.cmap.CmapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** CFG on running nodes: kill, shutdown with vetoes, reload, link status. */
class CfgNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aMemberKilledByAnotherLeavesAndUnknownNodesAreRefused() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode victim = cluster.node(2);
			cluster.node(1).cfg().killNode(2, "maintenance").get(10, TimeUnit.SECONDS);
			Await.until("node 2 stopping", BOUND, victim::isClosed);
			cluster.leave(2);
			cluster.awaitRing(BOUND);
			assertThat(status(cluster.node(1), 2).connected()).isFalse();
			assertThat(status(cluster.node(1), 3).connected()).isTrue();
			assertThat(status(cluster.node(1), 1).local()).isTrue();
			assertCfgError(cluster.node(1).cfg().killNode(2, "again"), CfgException.Error.NOT_EXIST);
			assertCfgError(cluster.node(1).cfg().killNode(9, "nobody"), CfgException.Error.NOT_EXIST);
		}
	}

	@Test
	void shutdownListenersCanVetoUnlessRegardless() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			AutoCloseable veto = node.cfg().addShutdownListener((flag) -> CompletableFuture.completedFuture(false));
			assertCfgError(node.cfg().shutdown(ShutdownFlag.REQUEST), CfgException.Error.BUSY);
			assertThat(node.isClosed()).isFalse();
			veto.close();

			// an undecided listener counts as a no after cfg.shutdown_timeout
			node.cmap().setNumber("cfg.shutdown_timeout", ValueType.UINT32, 200);
			CompletableFuture<Boolean> never = new CompletableFuture<>();
			AutoCloseable silent = node.cfg().addShutdownListener((flag) -> never);
			CompletableFuture<Void> first = node.cfg().shutdown(ShutdownFlag.REQUEST);
			assertCfgError(node.cfg().shutdown(ShutdownFlag.REQUEST), CfgException.Error.EXIST);
			assertCfgError(first, CfgException.Error.BUSY);
			silent.close();

			node.cfg().addShutdownListener((flag) -> CompletableFuture.completedFuture(false));
			node.cfg().shutdown(ShutdownFlag.REGARDLESS).get(10, TimeUnit.SECONDS);
			Await.until("node 1 shut down by sysadmin", BOUND, node::isClosed);
			cluster.leave(1);
			cluster.awaitRing(BOUND);
		}
	}

	@Test
	void reloadAppliesRuntimeChangesEverywhereAndReportsAnInvalidFile() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum";
			cluster.startAll();
			cluster.awaitRing(BOUND);
			cluster.extraTotem = " token_retransmits_before_loss_const: 6\n cluster_name: renamed";
			for (int node = 1; node <= 3; node++) {
				cluster.configFile(node);
			}
			assertThat(cluster.config(1).totem().clusterName()).isEqualTo("renamed");
			// node 3's file gets broken: its reload fails, the others apply theirs
			Path third = cluster.directory.resolve("n3.conf");
			Files.writeString(third, Files.readString(third).replace("token: 500", "token: soon"));
			cluster.node(1).cfg().reload().get(10, TimeUnit.SECONDS);
			Await.until("node 2 reloaded", BOUND,
					() -> cluster.node(2).cmap().getLong("config.reload_status").orElse(0L) == 1);
			for (int node : new int[] { 1, 2 }) {
				assertThat(cluster.node(node).cmap().getLong("totem.token_retransmits_before_loss_const")).contains(6L);
				// a start-only key keeps its value
				assertThat(cluster.node(node).cmap().getString("totem.cluster_name")).contains("local");
			}
			Await.until("node 3 refused", BOUND,
					() -> cluster.node(3).cmap().getLong("config.reload_status").orElse(0L) == 7);
			assertThat(cluster.node(3).cmap().getString("config.reload_error_message")).get().asString()
				.contains("totem.token");
			assertThat(cluster.node(3).cmap().get("totem.token_retransmits_before_loss_const")).isEmpty();
			assertCfgError(cluster.node(3).cfg().reload(), CfgException.Error.INVALID_PARAM);
			cluster.awaitRing(BOUND);
		}
	}

	@Test
	void reloadReplacesTheConfiguredAccessAndKeepsRuntimeGrants() throws Exception {
		Path uidgid = Files.createDirectories(this.directory.resolve(ConfigParser.UIDGID_DIRECTORY));
		Files.writeString(uidgid.resolve("users"), "uidgid {\n uid: 1000\n}\n");
		try (LocalCluster cluster = new LocalCluster(this.directory, 1, 500)) {
			cluster.startAll();
			cluster.awaitRing(BOUND);
			CorosyncNode node = cluster.node(1);
			IpcAccess access = new CmapIpcAccess(node.cmap());
			assertThat(access.admits(1000, 1000)).isTrue();
			// the configured keys are the file's: clients cannot add to them, but may grant beside them
			assertThatExceptionOfType(CmapException.class)
				.isThrownBy(() -> node.cmap().setNumber("uidgid.config.uid.3000", ValueType.UINT8, 1));
			node.cmap().setNumber("uidgid.uid.3000", ValueType.UINT8, 1);
			Files.writeString(uidgid.resolve("users"), "uidgid {\n gid: 2000\n}\n");
			node.cfg().reload().get(10, TimeUnit.SECONDS);
			assertThat(node.cmap().entries("uidgid.")).extracting(ConfigEntry::key)
				.containsExactly("uidgid.config.gid.2000", "uidgid.uid.3000");
			assertThat(access.admits(1000, 1000)).isFalse();
			assertThat(access.admits(1000, 2000)).isTrue();
			assertThat(access.admits(3000, 3000)).isTrue();
		}
	}

	private static LinkStatus.Node status(CorosyncNode node, long nodeid) {
		return node.cfg().linkStatus().get(0).nodes().stream().filter((n) -> n.nodeid() == nodeid).findFirst()
			.orElseThrow();
	}

	private static void assertCfgError(CompletableFuture<Void> result, CfgException.Error error) {
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(CfgException.class)
			.matches((ex) -> ((CfgException) ex.getCause()).error() == error, "error " + error);
	}

}
