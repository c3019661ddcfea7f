package io.corosync4j.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.jgroups.BytesMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JGroupsBench's counting, without a channel: a size ends at its last sender's END, and a member that
 * delivered fewer messages than the ENDs say were sent reports {@code LOST}, as the C cpgbench does.
 */
class JGroupsBenchTests {

	@Test
	void withEveryMemberSendingASizeEndsAtTheLastMembersEnd() {
		JGroupsBench.Counter counter = new JGroupsBench.Counter(3);
		data(counter, 64, 4);
		counter.receive(end(64, 1));
		counter.receive(end(64, 3));
		assertThat(counter.ended).isEmpty();
		counter.receive(end(64, 0));
		assertThat(counter.ended).containsExactly(64);
		assertThat(report(counter)).contains("size 64 B, 4 messages in").doesNotContain("LOST");
	}

	@Test
	void aMemberThatDeliveredFewerThanTheEndsSayReportsLost() {
		JGroupsBench.Counter counter = new JGroupsBench.Counter(2);
		data(counter, 1024, 3);
		counter.receive(end(1024, 2));
		counter.receive(end(1024, 2));
		assertThat(report(counter)).contains("size 1 KiB, 3 messages").contains("LOST: delivered 3 of 4");
	}

	@Test
	void eachSizeCountsOnlyItsOwnMessages() {
		JGroupsBench.Counter counter = new JGroupsBench.Counter(1);
		data(counter, 64, 2);
		counter.receive(end(64, 2));
		data(counter, 1024, 5);
		counter.receive(end(1024, 5));
		assertThat(counter.ended).containsExactly(64, 1024);
		assertThat(report(counter)).contains("size 64 B, 2 messages").contains("size 1 KiB, 5 messages")
			.doesNotContain("LOST");
	}

	private static void data(JGroupsBench.Counter counter, int size, int count) {
		for (int i = 0; i < count; i++) {
			counter.receive(new BytesMessage(null, header(JGroupsBench.DATA, size, i, 0)));
		}
	}

	private static BytesMessage end(int size, long sent) {
		return new BytesMessage(null, header(JGroupsBench.END, size, 0, sent));
	}

	private static byte[] header(int kind, int size, long sequence, long count) {
		byte[] bytes = new byte[JGroupsBench.HEADER];
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(0, JGroupsBench.MAGIC).putInt(4, kind)
			.putInt(8, size).putLong(16, sequence).putLong(24, count);
		return bytes;
	}

	private static String report(JGroupsBench.Counter counter) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		JGroupsBench.report(counter, new PrintStream(bytes, true, StandardCharsets.UTF_8));
		return bytes.toString(StandardCharsets.UTF_8);
	}

}
