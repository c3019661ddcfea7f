package io.corosync4j.benchmarks;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --warmup} becomes whole unmeasured rounds through the sizes, never fewer seconds than asked. */
class PeersWarmupTests {

	@TempDir
	Path directory;

	@Test
	void warmupSecondsAreRoundedUpToWholeRounds() {
		assertThat(peers(5, 60).warmupSeconds()).isEqualTo(60);
		assertThat(peers(5, 21).warmupSeconds()).isEqualTo(25);
		assertThat(peers(5, 1).warmupSeconds()).isEqualTo(5);
		assertThat(peers(5, 0).warmupSeconds()).isZero();
	}

	@Test
	void warmupRoundsGoThroughEverySizeBeforeTheMeasuredOnes() {
		assertThat(peers(5, 25).senderSizes()).isEqualTo("64,1024,64,1024,64,64,1024");
		assertThat(peers(5, 5).senderSizes()).isEqualTo("64,64,1024");
		assertThat(peers(5, 0).senderSizes()).isEqualTo("64,1024");
	}

	private Peers peers(int seconds, int warmupSeconds) {
		return new Peers(this.directory, List.of(64, 1024), seconds, new byte[256], warmupSeconds, 0);
	}

}
