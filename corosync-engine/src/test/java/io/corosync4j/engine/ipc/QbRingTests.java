package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.runtime.InteropCluster;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The server's rings against libqb's own ring buffer code in another process: chunks of every length
 * around a ring small enough to wrap many times, both ways, and a client that breaks the ring.
 */
class QbRingTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	/** A ring of two pages: 3,000 chunks of up to 997 bytes wrap it hundreds of times. */
	private static final int MAX_MESSAGE = 4096;

	private static final int CHUNKS = 3000;

	@TempDir
	static Path binaries;

	private static Path ringClient;

	private static Path semClient;

	@TempDir
	Path directory;

	private QbRing ring;

	private String name;

	@BeforeAll
	static void buildClients() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		ringClient = CClients.build(binaries, "/ipc/ringclient.c", "ringclient", "libqb");
		semClient = CClients.build(binaries, "/ipc/semclient.c", "semclient", "libqb");
	}

	@BeforeEach
	void createRing() throws Exception {
		assertThat(QbSemaphore.supported()).as("glibc on 64-bit Linux").isTrue();
		this.name = this.directory.resolve("qb-request-test").toString();
		int uid = (Integer) Files.getAttribute(this.directory, "unix:uid");
		int gid = (Integer) Files.getAttribute(this.directory, "unix:gid");
		this.ring = QbRing.create(this.name, MAX_MESSAGE, uid, gid);
	}

	@AfterEach
	void removeRing() {
		this.ring.close();
		assertThat(Path.of(this.name + "-header")).doesNotExist();
		assertThat(Path.of(this.name + "-data")).doesNotExist();
	}

	@Test
	void chunksTheServerWritesAreReadWholeByLibqb() throws Exception {
		Process reader = client("read", CHUNKS);
		try {
			long deadline = System.nanoTime() + BOUND.toNanos();
			for (int k = 0; k < CHUNKS; k++) {
				ByteBuf chunk = chunk(k);
				// the reader makes room as it goes
				while (!this.ring.write(chunk)) {
					assertThat(System.nanoTime()).as("room in the ring for chunk " + k).isLessThan(deadline);
					assertThat(reader.isAlive()).as("the reader").isTrue();
					Thread.sleep(0, 100_000);
				}
				chunk.release();
			}
			assertThat(reader.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			List<String> lines = new String(reader.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
			assertThat(lines).hasSize(CHUNKS);
			for (int k = 0; k < CHUNKS; k++) {
				assertThat(lines.get(k)).isEqualTo("chunk " + length(k) + " " + sum(k));
			}
		}
		finally {
			reader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void chunksLibqbWritesAreTakenWhole() throws Exception {
		Process writer = client("write", CHUNKS);
		try {
			ByteBuf into = Unpooled.buffer();
			List<Integer> lengths = new ArrayList<>();
			long deadline = System.nanoTime() + BOUND.toNanos();
			while (lengths.size() < CHUNKS) {
				int length = this.ring.take(into);
				if (length < 0) {
					assertThat(System.nanoTime()).as("chunk " + lengths.size()).isLessThan(deadline);
					Thread.sleep(0, 100_000);
					continue;
				}
				int k = lengths.size();
				assertThat(length).isEqualTo(length(k));
				for (int i = 0; i < length; i++) {
					assertThat(into.getByte(i)).as("chunk %d byte %d", k, i).isEqualTo((byte) (k + i));
				}
				lengths.add(length);
			}
			assertThat(writer.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
			assertThat(new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
				.isEqualTo("wrote " + CHUNKS + "\n");
			assertThat(this.ring.take(into)).isEqualTo(-1);
		}
		finally {
			writer.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void aFullRingTakesNothingMore() {
		ByteBuf chunk = Unpooled.wrappedBuffer(new byte[1000]);
		int written = 0;
		while (this.ring.write(chunk)) {
			written++;
		}
		// 8 KiB of data: eight chunks of 1,000 bytes and their headers fit, a ninth does not
		assertThat(written).isEqualTo(8);
		assertThat(this.ring.unread()).isEqualTo(8);
		assertThat(chunk.readableBytes()).isEqualTo(1000);
	}

	@Test
	void aPostedChunkThatIsNotWholeIsReported() throws Exception {
		// the client counts a chunk it never wrote
		Process posting = new ProcessBuilder(semClient.toString(), this.name + "-header", "8208", "post", "1").start();
		assertThat(posting.waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();

		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.ring.take(Unpooled.buffer()))
			.withMessageContaining("not whole");
	}

	@Test
	void aReadPointerOutsideTheRingIsReported() throws Exception {
		try (RandomAccessFile file = new RandomAccessFile(this.name + "-header", "rw")) {
			MappedByteBuffer header = file.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, QbRing.HEADER_SIZE);
			header.order(ByteOrder.nativeOrder()).putInt(4, 1 << 20);
		}

		assertThatIllegalStateException().isThrownBy(() -> this.ring.write(Unpooled.wrappedBuffer(new byte[8])))
			.withMessageContaining("read pointer");
	}

	@Test
	void filesTheClientShrankAreReportedBeforeTheyAreTouched() throws Exception {
		try (RandomAccessFile file = new RandomAccessFile(this.name + "-data", "rw")) {
			file.setLength(0);
		}

		// touching the mapping would fault, which Java reports at no point it promises
		assertThatIllegalStateException().isThrownBy(() -> this.ring.write(Unpooled.wrappedBuffer(new byte[8])))
			.withMessageContaining("shrank");
		assertThatIllegalStateException().isThrownBy(() -> this.ring.take(Unpooled.buffer()))
			.withMessageContaining("shrank");
	}

	private Process client(String mode, int count) throws IOException {
		return new ProcessBuilder(ringClient.toString(), this.name, Integer.toString(MAX_MESSAGE), mode,
				Integer.toString(count))
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
	}

	private static int length(int k) {
		return k % 997 + 1;
	}

	private static ByteBuf chunk(int k) {
		byte[] bytes = new byte[length(k)];
		for (int i = 0; i < bytes.length; i++) {
			bytes[i] = (byte) (k + i);
		}
		return Unpooled.wrappedBuffer(bytes);
	}

	private static long sum(int k) {
		long sum = 0;
		for (int i = 0; i < length(k); i++) {
			sum += (k + i) & 0xff;
		}
		return sum;
	}

}
