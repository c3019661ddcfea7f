package io.corosync4j.engine.servicegroup;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Activated;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Fail;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.GraceEnd;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Nop;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.QuiesceTimeout;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Quiesced;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Register;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Repair;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Switchover;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Withdraw;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every operation reads back as written; anything else reads as nothing rather than as something else. */
class ServiceGroupCodecTests {

	private static final String LONGEST = "g".repeat(ServiceUnitSpec.MAX_NAME_BYTES);

	private static final List<ServiceGroupMessage> ALL = List.of(
			new Register(7, "db", -3, 5_000, 30_000, ""), new Register(Long.MAX_VALUE, LONGEST, 0, 0, 0, "disk full ü"),
			new Withdraw(1, 2, "db"), new Fail(3, 4, "db", "health check failed"), new Fail(0, 4, "Ωmega", ""),
			new Repair(5, 6, "db"), new Switchover(8, "db", null), new Switchover(9, "db", new Member(3, 1003)),
			new Quiesced("db", 42), new QuiesceTimeout("db", 43), new GraceEnd("db", 44), new Activated("db", 45),
			new Nop());

	@Test
	void aGroupNameWithALoneSurrogateIsRefusedBeforeItReachesTheWire() {
		// String.getBytes would send both as "a?": two groups would become one
		assertThatThrownBy(() -> ServiceUnitSpec.of("a\uD800")).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("lone surrogate");
		assertThatThrownBy(() -> ServiceUnitSpec.of("a\uDC00b")).isInstanceOf(IllegalArgumentException.class);
		assertThat(ServiceUnitSpec.of("emoji \uD83D\uDE00").group()).endsWith("\uD83D\uDE00");
	}

	@Test
	void everyOperationReadsBackAsWritten() {
		for (ServiceGroupMessage message : ALL) {
			assertThat(ServiceGroupCodec.decode(ServiceGroupCodec.encode(message))).as(message.toString())
				.isEqualTo(message);
		}
	}

	@Test
	void anOperationCutShortOrWithBytesLeftOverIsNothing() {
		for (ServiceGroupMessage message : ALL) {
			byte[] bytes = ServiceGroupCodec.encode(message);
			for (int length = 0; length < bytes.length; length++) {
				assertThat(ServiceGroupCodec.decode(Arrays.copyOf(bytes, length))).as(message + " cut to " + length)
					.isNull();
			}
			assertThat(ServiceGroupCodec.decode(Arrays.copyOf(bytes, bytes.length + 1))).as(message + " and a byte")
				.isNull();
		}
	}

	@Test
	void anotherVersionOrAnUnknownTypeIsNothing() {
		byte[] bytes = ServiceGroupCodec.encode(new Nop());
		bytes[0] = 2;
		assertThat(ServiceGroupCodec.decode(bytes)).isNull();
		assertThat(ServiceGroupCodec.decode(new byte[] { 1, 0 })).isNull();
		assertThat(ServiceGroupCodec.decode(new byte[] { 1, 99 })).isNull();
	}

	@Test
	void fieldsOutOfRangeAreNothing() {
		// a name that is not UTF-8
		byte[] badName = ServiceGroupCodec.encode(new Quiesced("ab", 1));
		badName[4] = (byte) 0xff;
		assertThat(ServiceGroupCodec.decode(badName)).isNull();
		// an empty name, and one longer than 256 bytes
		assertThat(ServiceGroupCodec.decode(new byte[] { 1, 6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 })).isNull();
		byte[] longName = ServiceGroupCodec.encode(new Quiesced(LONGEST, 1));
		longName[3] = 1;   // 257 bytes claimed
		assertThat(ServiceGroupCodec.decode(longName)).isNull();
		// a negative grace period
		byte[] negative = ServiceGroupCodec.encode(new Register(1, "db", 0, 5, 5, ""));
		negative[2 + 8 + 4 + 4] = (byte) 0x80;
		assertThat(ServiceGroupCodec.decode(negative)).isNull();
		// a presence flag that is neither 0 nor 1
		byte[] flag = ServiceGroupCodec.encode(new Switchover(1, "db", null));
		flag[flag.length - 1] = 2;
		assertThat(ServiceGroupCodec.decode(flag)).isNull();
	}

	@Test
	void aLongReasonIsCutAtACharacterOnTheWire() {
		String reason = "é".repeat(ServiceGroupCodec.MAX_REASON_BYTES);
		Fail decoded = (Fail) ServiceGroupCodec.decode(ServiceGroupCodec.encode(new Fail(1, 2, "db", reason)));
		assertThat(decoded.reason().getBytes(StandardCharsets.UTF_8)).hasSize(ServiceGroupCodec.MAX_REASON_BYTES);
		assertThat(decoded.reason()).isEqualTo("é".repeat(ServiceGroupCodec.MAX_REASON_BYTES / 2));
		// a reason claiming more than the limit is refused on reading
		byte[] bytes = ServiceGroupCodec.encode(new Fail(1, 2, "db", "x"));
		bytes[bytes.length - 3] = 0x7f;
		assertThat(ServiceGroupCodec.decode(bytes)).isNull();
	}

}
