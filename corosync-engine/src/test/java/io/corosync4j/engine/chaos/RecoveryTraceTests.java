package io.corosync4j.engine.chaos;

import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;

import io.corosync4j.engine.chaos.RecoveryTrace.EarlyFree;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Early frees read from the recovery lines a Corosync daemon and a corosync4j node log. */
class RecoveryTraceTests {

	private static final long RUN_START = LocalTime.parse("07:00:00").atDate(LocalDate.parse("2026-12-05"))
		.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();

	@Test
	void aDaemonThatReSentFewerMessagesThanItHadReceivedHadFreedTheRest() {
		List<EarlyFree> frees = RecoveryTrace.parse(4, List.of(
				"Dec 05 07:36:22.884 [9874] vm corosync debug   [TOTEM ] Saving state aru 103 high seq received 103",
				"Dec 05 07:36:22.904 [9874] vm corosync debug   [TOTEM ] aru c6 high delivered c6 received flag 0",
				"Dec 05 07:36:22.904 [9874] vm corosync debug   [TOTEM ] copying all old ring messages from c7-103.",
				"Dec 05 07:36:22.904 [9874] vm corosync debug   [TOTEM ] Originated 30 messages in RECOVERY.").stream(),
				RUN_START);
		assertThat(frees).hasSize(1);
		EarlyFree free = frees.get(0);
		assertThat(free.freed()).isEqualTo(31);
		assertThat(free.time() - RUN_START).isEqualTo(((36 * 60) + 22) * 1000 + 904);
		assertThat(free).hasToString("node 4 re-sent 30 of messages c7-103 at 07:36:22.904, having received up to 103: "
				+ "it had freed 31 before every member had them");
	}

	@Test
	void aNodeThatReSentAllItHadOrLackedTheRestFreedNothing() {
		List<EarlyFree> frees = RecoveryTrace.parse(1, List.of(
				// it had all 61 and re-sent them
				"07:36:22.877 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - Saving state aru 103 high seq received 103",
				"07:36:22.893 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - copying all old ring messages from c7-103.",
				"07:36:22.908 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - Originated 61 messages in RECOVERY.",
				// it had received only up to e6: 32 of the range, and some above
				"07:37:22.877 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - Saving state aru e6 high seq received 103",
				"07:37:22.893 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - copying all old ring messages from c7-103.",
				"07:37:22.908 [corosync-totem-1-1-1] DEBUG io.corosync4j.engine.totem - Originated 44 messages in RECOVERY.")
			.stream(), RUN_START);
		assertThat(frees).isEmpty();
	}

	@Test
	void timesBeforeTheRunAreOnTheNextDay() {
		List<EarlyFree> frees = RecoveryTrace.parse(2, List.of(
				"Dec 06 00:00:01.000 [1] vm corosync debug   [TOTEM ] Saving state aru 10 high seq received 10",
				"Dec 06 00:00:01.000 [1] vm corosync debug   [TOTEM ] copying all old ring messages from 5-10.",
				"Dec 06 00:00:01.000 [1] vm corosync debug   [TOTEM ] Originated 0 messages in RECOVERY.").stream(),
				RUN_START + 16 * 3_600_000L);
		assertThat(frees).singleElement().satisfies((free) -> {
			assertThat(free.freed()).isEqualTo(12);
			assertThat(free.time()).isEqualTo(RUN_START + 17 * 3_600_000L + 1000);
		});
	}

}
