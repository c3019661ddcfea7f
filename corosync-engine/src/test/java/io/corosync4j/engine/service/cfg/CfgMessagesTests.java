package io.corosync4j.engine.service.cfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CFG's messages in Corosync's layout (corosync-wire.md 13.3). */
class CfgMessagesTests {

	@Test
	void killNodeCarriesTheVictimAndAMarNameReason() {
		byte[] message = CfgMessages.killNode(3, "maintenance");
		assertThat(message).hasSize(288);
		ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
		assertThat(in.getInt(0)).isEqualTo((1 << 16) | 1);
		assertThat(in.getInt(8)).isEqualTo(288);
		assertThat(in.getInt(16)).isEqualTo(3);
		assertThat(in.getShort(24)).isEqualTo((short) 11);
		assertThat(new String(message, 32, 11)).isEqualTo("maintenance");
		assertThat(CfgMessages.decodeKillNode(message, false)).isEqualTo(new CfgMessages.KillNode(3, "maintenance"));
	}

	@Test
	void longReasonsAreCutToTheNameFieldAndTruncatedMessagesRejected() {
		byte[] message = CfgMessages.killNode(1, "x".repeat(400));
		assertThat(CfgMessages.decodeKillNode(message, false).reason()).hasSize(255);
		assertThat(CfgMessages.decodeKillNode(new byte[100], false)).isNull();
	}

	@Test
	void shutdownIsTheHeaderAloneAndReloadNamesItsSource() {
		assertThat(CfgMessages.shutdown()).hasSize(16);
		byte[] reload = CfgMessages.reloadConfig(7);
		assertThat(reload).hasSize(32);
		assertThat(ByteBuffer.wrap(reload).order(ByteOrder.LITTLE_ENDIAN).getInt(16)).isEqualTo(7);
	}

}
