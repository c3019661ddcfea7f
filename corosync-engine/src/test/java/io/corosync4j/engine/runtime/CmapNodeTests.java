package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cmap.Cmap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LONG;

/** CMAP on running nodes: the runtime keys follow the ring, stats are live, config versions are enforced. */
class CmapNodeTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void runtimeKeysFollowTheRing() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum";
			cluster.startAll();
			cluster.awaitRing(BOUND);
			Cmap cmap = cluster.node(1).cmap();
			assertThat(cmap.getString("runtime.members.2.ip")).contains("r(0) ip(127.0.0.2) ");
			assertThat(cmap.getString("runtime.members.2.status")).contains("joined");
			assertThat(cmap.getLong("runtime.members.2.join_count")).contains(1L);
			Await.until("config versions exchanged", BOUND,
					() -> cmap.getLong("runtime.members.3.config_version").isPresent());
			assertThat(cmap.getLong("runtime.votequorum.this_node_id")).contains(1L);
			Await.until("quorum in CMAP", BOUND, () -> cmap.getLong("runtime.votequorum.lowest_node_id").isPresent());
			assertThat(cmap.getString("internal_configuration.service.5.name")).contains("corosync_votequorum");
			assertThat(cmap.getLong("runtime.services.cpg.service_id")).contains(2L);
			assertThat(cmap.getLong("runtime.services.votequorum.0.rx")).get().asInstanceOf(
					LONG).isPositive();
			assertThat(cmap.getLong("runtime.services.votequorum.0.tx")).get().asInstanceOf(
					LONG).isPositive();
			assertThat(cmap.getLong("stats.srp.orf_token_rx")).get().asInstanceOf(
					LONG).isPositive();
			assertThat(cmap.entries("stats.srp.")).extracting(ConfigEntry::key).contains("stats.srp.mtt_rx_token",
					"stats.srp.continuous_gather");
			assertThat(cmap.get("stats.srp.mtt_rx_token").orElseThrow().type()).isEqualTo(ValueType.UINT32);
			assertThat(cmap.getLong("stats.pg.msg_queue_avail")).isPresent();
			assertThat(cmap.getLong("stats.pg.orphaned")).isPresent();
			assertThat(cmap.getLong("stats.pg.resent")).isPresent();
			assertThat(cmap.getString("totem.cluster_name")).contains("local");
			// the effective token: 500 ms plus token_coefficient (650 ms) for the third node
			assertThat(cmap.getLong("runtime.config.totem.token")).contains(1150L);

			cluster.crash(2);
			cluster.awaitRing(BOUND);
			assertThat(cmap.getString("runtime.members.2.status")).contains("left");
			cluster.start(2);
			cluster.awaitRing(BOUND);
			assertThat(cmap.getString("runtime.members.2.status")).contains("joined");
			assertThat(cmap.getLong("runtime.members.2.join_count")).contains(2L);
		}
	}

	@Test
	void cancellingWaitForAllThroughCmapLetsTwoOfThreeProceed() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.quorum = " provider: corosync_votequorum\n wait_for_all: 1";
			cluster.start(1);
			cluster.start(2);
			cluster.awaitRing(BOUND);
			assertThat(cluster.node(1).quorate()).isFalse();
			assertThat(cluster.node(1).cmap().getLong("runtime.votequorum.wait_for_all_status")).contains(1L);
			cluster.node(2).cmap().setNumber("quorum.cancel_wait_for_all", ValueType.UINT8, 1);
			for (int node : List.of(1, 2)) {
				Await.until("node " + node + " quorate", BOUND, () -> cluster.node(node).quorate());
			}
			assertThat(cluster.node(1).cmap().getLong("runtime.votequorum.wait_for_all_status")).contains(0L);
			Await.until("the request key reset", BOUND,
					() -> cluster.node(2).cmap().getLong("quorum.cancel_wait_for_all").orElse(0L) == 0);
		}
	}

	@Test
	void aNodeWithAnOlderConfigVersionLeavesTheRing() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 3, 500)) {
			cluster.extraTotem = " config_version: 2";
			cluster.start(1);
			cluster.start(2);
			cluster.awaitRing(BOUND);
			cluster.extraTotem = " config_version: 1";
			CorosyncNode stale = cluster.start(3);
			Await.until("the stale node stopping itself", BOUND, stale::isClosed);
			assertThat(cluster.node(1).cmap().getLong("runtime.members.3.config_version")).contains(1L);
			cluster.leave(3);
			cluster.awaitRing(BOUND);
			assertThat(cluster.node(1).membership().members()).containsExactly(1L, 2L);
		}
	}

}
