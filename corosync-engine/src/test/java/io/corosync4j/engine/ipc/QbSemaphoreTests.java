package io.corosync4j.engine.ipc;

import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.runtime.InteropCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The rings' semaphores against glibc's own sem_wait and sem_post in another process. */
class QbSemaphoreTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	/** Where the semaphore sits in a ring's header, so it is aligned as there. */
	private static final int OFFSET = 8208;

	@TempDir
	static Path binaries;

	private static Path client;

	@TempDir
	Path directory;

	private Path file;

	private MappedByteBuffer mapped;

	private QbSemaphore semaphore;

	@BeforeAll
	static void buildClient() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		client = CClients.build(binaries, "/ipc/semclient.c", "semclient", "libqb");
	}

	@BeforeEach
	void mapSemaphore() throws Exception {
		assertThat(QbSemaphore.supported()).as("glibc on 64-bit Linux").isTrue();
		this.file = this.directory.resolve("header");
		try (RandomAccessFile created = new RandomAccessFile(this.file.toFile(), "rw")) {
			created.setLength(QbRing.HEADER_SIZE);
			this.mapped = created.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, QbRing.HEADER_SIZE);
		}
		this.semaphore = new QbSemaphore(this.mapped, OFFSET);
		this.semaphore.initShared();
	}

	@Test
	void aPostWakesAProcessBlockedInSemWait() throws Exception {
		Process waiting = new ProcessBuilder(client.toString(), this.file.toString(), Integer.toString(OFFSET), "wait")
			.redirectErrorStream(true)
			.start();
		try {
			// blocked in the kernel: glibc counts itself among the waiters first
			Await.until("the C process waiting", BOUND, () -> this.semaphore.waiters() == 1 || !waiting.isAlive());
			assertThat(this.semaphore.post()).isTrue();

			// without the shared futex wake it would sleep on for ever
			assertThat(waiting.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("woken").isTrue();
			assertThat(new String(waiting.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("woken 0\n");
			assertThat(waiting.exitValue()).isZero();
			assertThat(this.semaphore.waiters()).isZero();
		}
		finally {
			waiting.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void postsFromAProcessAreTakenOneByOne() throws Exception {
		Process posting = new ProcessBuilder(client.toString(), this.file.toString(), Integer.toString(OFFSET), "post",
				"3")
			.redirectErrorStream(true)
			.start();
		assertThat(posting.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
		assertThat(new String(posting.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("posted 3\n");

		assertThat(this.semaphore.value()).isEqualTo(3);
		assertThat(this.semaphore.tryTake()).isTrue();
		assertThat(this.semaphore.tryTake()).isTrue();
		assertThat(this.semaphore.tryTake()).isTrue();
		assertThat(this.semaphore.tryTake()).isFalse();
		assertThat(this.semaphore.value()).isZero();
	}

}
