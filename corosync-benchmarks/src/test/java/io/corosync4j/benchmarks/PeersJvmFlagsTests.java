package io.corosync4j.benchmarks;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --jvm-flags} replaces the heap and collector of every JVM and nothing else of the run. */
class PeersJvmFlagsTests {

	@TempDir
	Path directory;

	@Test
	void defaultsAreTheRecommendedHeapThenTheCommonFlags() {
		Peers peers = new Peers(this.directory, List.of(64, 1024), 5, new byte[256], 21, 0);
		assertThat(peers.heapFlags()).isEqualTo(Peers.HEAP_FLAGS);
		assertThat(peers.jvmFlags()).startsWith(Peers.HEAP_FLAGS.toArray(String[]::new))
			.contains("-Djava.net.preferIPv4Stack=true");
	}

	@Test
	void otherHeapFlagsKeepTheRoundsAndTheRing() {
		Peers peers = new Peers(this.directory, List.of(64, 1024), 5, new byte[256], 21, 0).ring(List.of(1024), 5, 10,
				0, 8);
		Peers zgc = peers.withHeapFlags(List.of("-Xmx1g", "-XX:+UseZGC"));
		assertThat(zgc.heapFlags()).containsExactly("-Xmx1g", "-XX:+UseZGC");
		assertThat(zgc.jvmFlags()).doesNotContain("-XX:+UseParallelGC").contains("-Djava.net.preferIPv4Stack=true");
		assertThat(zgc.warmupSeconds()).isEqualTo(peers.warmupSeconds()).isEqualTo(10);
		assertThat(zgc.members()).isEqualTo(8);
		assertThat(zgc.withHeapFlags(Peers.HEAP_FLAGS).jvmFlags()).isEqualTo(peers.jvmFlags());
	}

}
