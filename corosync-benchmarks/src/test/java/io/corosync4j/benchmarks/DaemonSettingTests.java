package io.corosync4j.benchmarks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** A Corosync setting ending in {@code -socket-ipc} is its totem setting with libqb's socket transport. */
class DaemonSettingTests {

	@Test
	void theSuffixAddsTheSocketTransportAndKeepsTheTotemKeys() {
		assertThat(Peers.systemKeys("knet-aes256-tuned-socket-ipc", "\t")).isEqualTo("\tqb_ipc_type: socket\n");
		assertThat(Peers.totemSetting("knet-aes256-tuned-socket-ipc")).isEqualTo("knet-aes256-tuned");
		assertThat(Peers.totemKeys(Peers.totemSetting("udpu-socket-ipc"), null, ""))
			.isEqualTo(Peers.totemKeys("udpu", null, ""));
	}

	@Test
	void withoutTheSuffixTheDaemonKeepsItsSharedMemory() {
		assertThat(Peers.systemKeys("udpu", "\t")).isEmpty();
		assertThat(Peers.totemSetting("knet")).isEqualTo("knet");
	}

	@Test
	void anUnknownTotemSettingIsStillRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Peers.totemKeys(Peers.totemSetting("sctp-socket-ipc"), null, ""));
	}

}
