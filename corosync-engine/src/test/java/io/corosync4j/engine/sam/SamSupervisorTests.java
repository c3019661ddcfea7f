package io.corosync4j.engine.sam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.service.cmap.Cmap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Real child processes under {@link SamSupervisor}: restarted when silent or when they exit, data kept. */
class SamSupervisorTests {

	private static final Duration BOUND = Duration.ofSeconds(60);

	@TempDir
	Path directory;

	@Test
	void aChildThatStopsHeartBeatingIsRestartedWithItsData() throws Exception {
		Path record = this.directory.resolve("silent.txt");
		Cmap cmap = new Cmap();
		try (SamSupervisor supervisor = supervisor("silent", record, SamPolicy.RESTART, cmap)) {
			supervisor.start();
			Await.until("three instances", BOUND, () -> lines(record).size() >= 3, () -> lines(record));
			assertThat(lines(record).subList(0, 3)).containsExactly("instance 1 restored ''",
					"instance 2 restored 'from instance 1'", "instance 3 restored 'from instance 2'");
			assertThat(supervisor.status().instanceId()).isGreaterThanOrEqualTo(3);
			// the warn step is SIGTERM, which ends a JVM (status 143) before the second interval runs out
			assertThat(supervisor.status().lastFailure()).isIn("no heartbeat within 2000 ms",
					"the process exited with status 143");
			assertThat(cmap.getString("resources.process.silent.recovery")).contains("restart");
		}
	}

	@Test
	void aChildThatExitsWhileCheckedIsRestartedAndQuitEndsWithItsStatus() throws Exception {
		Path record = this.directory.resolve("exit.txt");
		try (SamSupervisor supervisor = supervisor("exiting", record, SamPolicy.RESTART, null)) {
			supervisor.start();
			Await.until("two instances", BOUND, () -> lines(record).size() >= 2, () -> lines(record));
			assertThat(lines(record).get(1)).isEqualTo("instance 2 restored 'from instance 1'");
			assertThat(supervisor.status().lastFailure()).isEqualTo("the process exited with status 3");
		}
		Path quitting = this.directory.resolve("quit.txt");
		try (SamSupervisor supervisor = supervisor("quitting", quitting, SamPolicy.QUIT, null)) {
			supervisor.start();
			assertThat(supervisor.exit().get(BOUND.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
			assertThat(supervisor.status().state()).isEqualTo(SamState.FAILED);
			assertThat(lines(quitting)).hasSize(1);
		}
	}

	private SamSupervisor supervisor(String mode, Path record, SamPolicy policy, Cmap cmap) throws Exception {
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), SamChild.class.getName(),
				mode.equals("silent") ? "silent" : "exit", record.toString());
		return new SamSupervisor(mode, command, null,
				SamOptions.of(Duration.ofSeconds(2), policy, SamFlag.CMAP), SamClock.system(), cmap);
	}

	private static List<String> lines(Path file) {
		try {
			return Files.exists(file) ? Files.readAllLines(file) : List.of();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
