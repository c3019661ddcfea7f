package io.corosync4j.engine.message;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageOperation.Synchronize;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Operations survive the round trip exactly; whatever is not one — cut short, padded, out of range, a
 * name that is not UTF-8 or too long — reads as {@code null} and never throws.
 */
class MessageCodecTests {

	static final List<MessageOperation> OPERATIONS = List.of(new CreateGroup(1, "g", GroupPolicy.LOCAL_BEST_QUEUE),
			new DeleteGroup(2, "g"), new Open(3, "q", QueueAttributes.transientQueue().withCapacity(2, 5, 77), ""),
			new Open(4, "ü-queue", QueueAttributes.persistentQueue(Duration.ofMinutes(1)).withPrefetch(3), "g"),
			new Close(5, "q"), new Send(6, "q", false, 3, MessageOperation.WAIT_FOR_ACK, new byte[] { 1, 2, 3 }),
			new Send(7, "g", true, 0, MessageOperation.WANTS_REPLY, new byte[0]), new Ack(8, "q", 42),
			new Reply(9, "q", 43, new byte[] { 9 }), new Retire(0, "q", 7), new Synchronize(0));

	@Test
	void operationsRoundTrip() {
		for (MessageOperation operation : OPERATIONS) {
			byte[] encoded = MessageCodec.encode(operation);
			MessageOperation decoded = MessageCodec.decode(encoded);
			assertThat(decoded).as(operation.toString()).isNotNull();
			assertThat(MessageCodec.encode(decoded)).as(operation.toString()).isEqualTo(encoded);
			assertThat(MessageCodec.request(encoded)).isEqualTo(operation.request());
			if (operation instanceof Open open) {
				assertThat(((Open) decoded).attributes()).isEqualTo(open.attributes());
			}
		}
	}

	@Test
	void truncatedOrPaddedOperationsAreRefused() {
		for (MessageOperation operation : OPERATIONS) {
			byte[] encoded = MessageCodec.encode(operation);
			for (int length = 0; length < encoded.length; length++) {
				assertThat(MessageCodec.decode(Arrays.copyOf(encoded, length))).as(operation + " cut to " + length).isNull();
			}
			assertThat(MessageCodec.decode(Arrays.copyOf(encoded, encoded.length + 1))).as(operation + " padded").isNull();
		}
	}

	@Test
	void outOfRangeFieldsAreRefused() {
		byte[] send = MessageCodec.encode(new Send(6, "q", false, 3, 0, new byte[0]));
		// tag, request (8), name length (2), name (1), toGroup, priority
		byte[] badPriority = send.clone();
		badPriority[13] = 4;
		assertThat(MessageCodec.decode(badPriority)).isNull();
		byte[] badFlags = send.clone();
		badFlags[14] = 8;
		assertThat(MessageCodec.decode(badFlags)).isNull();
		byte[] notUtf8 = send.clone();
		notUtf8[11] = (byte) 0xC3;
		assertThat(MessageCodec.decode(notUtf8)).isNull();
		byte[] badPolicy = MessageCodec.encode(new CreateGroup(1, "g", GroupPolicy.ROUND_ROBIN));
		badPolicy[badPolicy.length - 1] = 9;
		assertThat(MessageCodec.decode(badPolicy)).isNull();
	}

	@Test
	void aBooleanOtherThanZeroOrOneIsRefused() {
		// found by the msg fuzz target: toGroup 0x80 read as true, which encodes back as 1
		byte[] send = MessageCodec.encode(new Send(6, "q", false, 3, 0, new byte[0]));
		for (int value : new int[] { 2, 0x80, 0xff }) {
			byte[] toGroup = send.clone();
			toGroup[12] = (byte) value;
			assertThat(MessageCodec.decode(toGroup)).as("toGroup " + value).isNull();
		}
		byte[] open = MessageCodec.encode(new Open(3, "q", QueueAttributes.transientQueue(), ""));
		// tag, request (8), name length (2), name (1), persistent
		open[12] = 2;
		assertThat(MessageCodec.decode(open)).as("persistent 2").isNull();
	}

	@Test
	void aPayloadLengthBeyondTheBytesThatFollowIsRefusedWithoutAllocatingIt() {
		// found by the msg fuzz target: a 27-byte Send announcing a payload of 8 MiB allocated all of it
		// before finding the input cut short
		byte[] send = MessageCodec.encode(new Send(6, "q", false, 3, 0, new byte[] { 1, 2, 3, 4 }));
		ByteBuffer.wrap(send).putInt(15, MessageService.MAX_OPERATION_BYTES);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		assertThat(MessageCodec.decode(send)).isNull();
		// measured the second time, when the classes the first loaded are there
		long before = threads.getCurrentThreadAllocatedBytes();
		assertThat(MessageCodec.decode(send)).isNull();
		assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1024 * 1024);
		byte[] large = new byte[300_000];
		large[299_999] = 7;
		Send whole = (Send) MessageCodec.decode(MessageCodec.encode(new Send(6, "q", false, 3, 0, large)));
		assertThat(whole.payload()).isEqualTo(large);
	}

	@Test
	void namesAreOneTo256BytesOfWellFormedUtf8() {
		assertThat(MessageCodec.validName("a".repeat(256))).isTrue();
		assertThat(MessageCodec.validName("a".repeat(257))).isFalse();
		assertThat(MessageCodec.validName("é".repeat(129))).as("258 bytes").isFalse();
		assertThat(MessageCodec.validName("")).isFalse();
		assertThat(MessageCodec.validName("\uD800")).as("a lone surrogate").isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> MessageCodec.encode(new Close(1, "a".repeat(257))));
	}

	@Test
	void randomBytesNeverThrow() {
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 20_000; i++) {
			byte[] bytes = new byte[random.nextInt(40)];
			for (int b = 0; b < bytes.length; b++) {
				bytes[b] = (byte) random.nextInt(256);
			}
			if (bytes.length > 0 && random.nextBoolean()) {
				bytes[0] = (byte) random.nextInt(1, 10);
			}
			MessageCodec.decode(bytes);
		}
		assertThat(MessageCodec.decode("x".getBytes(StandardCharsets.UTF_8))).isNull();
	}

}
