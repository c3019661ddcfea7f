package io.corosync4j.engine.service.cmap;

import java.util.OptionalLong;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.totem.pg.CapturedServiceMessages;
import io.corosync4j.engine.totem.pg.CapturedServiceMessages.Message;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** CMAP's config-version message against its reference layout and Corosync 3.1.7 traffic. */
class CmapMessagesTests {

	@Test
	void configVersionItemsHaveCorosyncsSizes() {
		byte[] present = CmapMessages.configVersion(CmapMessages.REASON_SYNC, OptionalLong.of(42));
		byte[] absent = CmapMessages.configVersion(CmapMessages.REASON_NEW_CONFIG_VERSION, OptionalLong.empty());
		assertThat(present).hasSize(336);
		assertThat(absent).hasSize(328);
		assertThat(CmapMessages.decode(present, false)).isEqualTo(new CmapMessages.ConfigVersion(0, 42));
		assertThat(CmapMessages.decode(absent, false)).isEqualTo(new CmapMessages.ConfigVersion(1, 0));
	}

	@Test
	void itemsClaimingMoreThanTheMessageHoldsAreRejected() {
		byte[] message = CmapMessages.configVersion(CmapMessages.REASON_SYNC, OptionalLong.of(7));
		message[48 + 272] = 100;
		assertThat(CmapMessages.decode(message, false)).isNull();
		assertThat(CmapMessages.decode(new byte[40], false)).isNull();
	}

	@Test
	void corosyncsSyncMessagesAreOursByteForByte() {
		int count = 0;
		for (Message message : CapturedServiceMessages.load("udpu-3node-lifecycle")) {
			if (message.group().equals("a") && message.serviceId() >>> 16 == ServiceEngine.CMAP) {
				// the fixtures' configurations have no totem.config_version
				assertThat(message.payload())
					.isEqualTo(CmapMessages.configVersion(CmapMessages.REASON_SYNC, OptionalLong.empty()));
				count++;
			}
		}
		assertThat(count).isGreaterThan(5);
	}

}
