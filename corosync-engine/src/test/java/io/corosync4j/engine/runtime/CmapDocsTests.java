package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cmap.CmapEvent;
import io.corosync4j.engine.service.cmap.CmapException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The example of {@code docs/cmap.md}, run: reading, prefix iteration, writing and tracking on node 1
 * while node 2 joins.
 */
class CmapDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void keysAreReadWrittenAndTrackedAsThePageSays() throws Exception {
		try (LocalCluster cluster = new LocalCluster(this.directory, 2, 500)) {
			CorosyncNode node = cluster.start(1);
			node.awaitMembership((m) -> m.synced(), BOUND);

			// tag::cmap[]
			Cmap cmap = node.cmap();
			long token = cmap.getLong("runtime.config.totem.token").orElseThrow();   // the effective token timeout
			List<ConfigEntry> members = cmap.entries("runtime.members.");          // a prefix, in name order
			cmap.setNumber("cfg.shutdown_timeout", ValueType.UINT32, 2000);        // CmapException(ACCESS) if read-only
			BlockingQueue<CmapEvent> changes = new LinkedBlockingQueue<>();
			AutoCloseable tracking = cmap.track("runtime.members.", EnumSet.allOf(CmapEvent.Type.class), true,
					changes::add);                                                     // on the changing thread
			// end::cmap[]

			assertThat(token).isEqualTo(500);
			assertThat(members).extracting(ConfigEntry::key).contains("runtime.members.1.ip",
					"runtime.members.1.status");
			assertThat(cmap.getLong("cfg.shutdown_timeout")).contains(2000L);
			assertThatExceptionOfType(CmapException.class)
				.isThrownBy(() -> cmap.setNumber("runtime.config.totem.token", ValueType.UINT32, 1))
				.matches((ex) -> ex.error() == CmapException.Error.ACCESS);

			cluster.start(2);
			cluster.awaitRing(BOUND);
			CmapEvent added = changes.poll(30, TimeUnit.SECONDS);
			while (added != null && !added.key().startsWith("runtime.members.2.")) {
				added = changes.poll(30, TimeUnit.SECONDS);
			}
			assertThat(added).isNotNull();
			assertThat(added.type()).isEqualTo(CmapEvent.Type.ADD);
			tracking.close();
		}
	}

}
