package io.corosync4j.engine.cluster;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The announcement's format: what is written is read back; anything else is refused with a reason. */
class NodeAnnouncementTests {

	private static final NodeAnnouncement NODE_3 = new NodeAnnouncement(3, Instant.parse("2025-06-01T08:30:00.5Z"),
			"gamma");

	@Test
	void whatIsWrittenIsReadBack() {
		byte[] message = NODE_3.encode();
		assertThat(message).hasSize(NodeAnnouncement.HEADER + 5);
		assertThat(message[0]).isEqualTo((byte) NodeAnnouncement.VERSION);
		assertThat(NodeAnnouncement.decode(message)).isEqualTo(NODE_3);
		NodeAnnouncement unnamed = new NodeAnnouncement(0xffff_fffeL, Instant.EPOCH, "");
		assertThat(NodeAnnouncement.decode(unnamed.encode())).isEqualTo(unnamed);
		NodeAnnouncement accents = new NodeAnnouncement(9, Instant.EPOCH, "nœud-ü");
		assertThat(NodeAnnouncement.decode(accents.encode())).isEqualTo(accents);
	}

	@Test
	void anotherVersionOrTypeIsRefused() {
		byte[] message = NODE_3.encode();
		message[0] = 2;
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(message))
			.withMessageContaining("version 2");
		byte[] type = NODE_3.encode();
		type[1] = 9;
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(type))
			.withMessageContaining("type 9");
	}

	@Test
	void everyTruncationAndAnyExtraByteIsRefused() {
		byte[] message = NODE_3.encode();
		for (int length = 0; length < message.length; length++) {
			byte[] cut = Arrays.copyOf(message, length);
			assertThatIllegalArgumentException().as("%d bytes", length).isThrownBy(() -> NodeAnnouncement.decode(cut));
		}
		byte[] longer = Arrays.copyOf(message, message.length + 1);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(longer));
	}

	@Test
	void impossibleTimesAndNamesThatAreNotUtf8AreRefused() {
		byte[] nanos = NODE_3.encode();
		ByteBuffer.wrap(nanos).putInt(14, 1_000_000_000);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(nanos))
			.withMessageContaining("nanoseconds");
		byte[] seconds = NODE_3.encode();
		ByteBuffer.wrap(seconds).putLong(6, Long.MAX_VALUE);
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(seconds))
			.withMessageContaining("range");
		byte[] name = NODE_3.encode();
		name[NodeAnnouncement.HEADER] = (byte) 0xff;
		assertThatIllegalArgumentException().isThrownBy(() -> NodeAnnouncement.decode(name))
			.withMessageContaining("UTF-8");
	}

}
