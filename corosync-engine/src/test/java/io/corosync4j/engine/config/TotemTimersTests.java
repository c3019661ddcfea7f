package io.corosync4j.engine.config;

import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Derived Totem timers: the values Corosync 3.1.7 published in {@code runtime.config.totem.*} for the
 * recorded configurations, and Corosync's formulas for 1 to 32 nodes.
 */
class TotemTimersTests {

	static Stream<Map<String, String>> recorded() {
		return Fixtures.table("effective-timers.tsv").stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("recorded")
	void matchesCorosyncRuntimeValues(Map<String, String> row) {
		CorosyncConfig config = read(Fixtures.config(row.get("case")));
		TotemTimers timers = config.totem().timers();
		InterfaceConfig link0 = config.totem().link(0);
		assertThat(link0).isNotNull();
		Map<String, Long> actual = new java.util.LinkedHashMap<>();
		actual.put("token", timers.token());
		actual.put("token_retransmit", timers.tokenRetransmit());
		actual.put("hold", timers.hold());
		actual.put("consensus", timers.consensus());
		actual.put("join", timers.join());
		actual.put("merge", timers.merge());
		actual.put("downcheck", timers.downcheck());
		actual.put("fail_recv_const", timers.failRecvConst());
		actual.put("seqno_unchanged_const", timers.seqnoUnchangedConst());
		actual.put("window_size", timers.windowSize());
		actual.put("max_messages", timers.maxMessages());
		actual.put("miss_count_const", timers.missCountConst());
		actual.put("token_retransmits_before_loss_const", timers.tokenRetransmitsBeforeLossConst());
		actual.put("max_network_delay", timers.maxNetworkDelay());
		actual.put("send_join", timers.sendJoin());
		actual.put("knet_ping_interval", link0.knetPingInterval());
		actual.put("knet_ping_timeout", link0.knetPingTimeout());
		actual.forEach((key, value) -> assertThat(value).as(key).isEqualTo(Long.parseLong(row.get(key))));
		String warning = row.get("token_warning_period");
		assertThat(timers.tokenWarningPeriod()).as("token warning period")
			.isEqualTo(warning.equals("disabled") ? 0 : Long.parseLong(warning));
	}

	@Test
	void threeNodesUseCorosyncsNumbers() {
		TotemTimers timers = read(nodelist(3, "")).totem().timers();
		assertThat(timers.token()).isEqualTo(3650);
		assertThat(timers.tokenRetransmit()).isEqualTo(869);
		assertThat(timers.hold()).isEqualTo(685);
		assertThat(timers.consensus()).isEqualTo(4380);
	}

	static IntStream nodeCounts() {
		return IntStream.rangeClosed(1, 32);
	}

	@ParameterizedTest(name = "{0} nodes")
	@MethodSource("nodeCounts")
	void followCorosyncsFormulas(int nodes) {
		long token = 3000 + Math.max(0, nodes - 2) * 650L;
		long retransmit = (long) Math.floor(token / 4.2);
		long hold = (long) Math.floor(retransmit * 0.8 - 10);
		long consensus = (long) Math.floor(1.2 * token);
		CorosyncConfig config = read(nodelist(nodes, ""));
		TotemTimers timers = config.totem().timers();
		assertThat(timers.token()).isEqualTo(token);
		assertThat(timers.tokenRetransmit()).isEqualTo(retransmit);
		assertThat(timers.hold()).isEqualTo(hold);
		assertThat(timers.consensus()).isEqualTo(consensus);
		assertThat(timers.tokenWarningPeriod()).isEqualTo(token * 75 / 100);
		assertThat(config.totem().link(0).knetPingInterval()).isEqualTo(token / 4);
		assertThat(config.totem().link(0).knetPingTimeout()).isEqualTo(token / 2);
	}

	@Test
	void coefficientIsAddedToAnExplicitToken() {
		assertThat(read(nodelist(3, "token: 10000")).totem().timers().token()).isEqualTo(10650);
		assertThat(read(nodelist(3, "token: 10000\n\ttoken_coefficient: 0")).totem().timers().token())
			.isEqualTo(10000);
	}

	@Test
	void nodesWithoutRing0AddressDoNotScaleTheToken() {
		String config = nodelist(2, "").replace("nodelist {",
				"nodelist {\n\tnode {\n\t\tnodeid: 9\n\t\tname: n9\n\t}");
		assertThat(read(config).totem().timers().token()).isEqualTo(3000);
	}

	@ParameterizedTest
	@ValueSource(strings = { "token: 0", "consensus: 0", "join: 0", "window_size: 0", "max_messages: 0" })
	void zeroMeansDefault(String setting) {
		TotemTimers defaults = read(nodelist(3, "")).totem().timers();
		assertThat(read(nodelist(3, setting)).totem().timers()).isEqualTo(defaults);
	}

	@Test
	void zeroIsKeptWhereCorosyncKeepsIt() {
		TotemTimers timers = read(nodelist(3, "token_warning: 0\n\tsend_join: 0")).totem().timers();
		assertThat(timers.tokenWarning()).isZero();
		assertThat(timers.tokenWarningPeriod()).isZero();
	}

	@Test
	void heartbeatTimeoutIsOffWhenNotBelowTheToken() {
		assertThat(read(nodelist(3, "heartbeat_failures_allowed: 3")).totem().timers().heartbeatTimeout())
			.isEqualTo(3 * 869 + 50);
		assertThat(read(nodelist(3, "heartbeat_failures_allowed: 5")).totem().timers().heartbeatTimeout()).isZero();
	}

	@Test
	void explicitConsensusBelowTheDerivedValueIsKept() {
		assertThat(read(nodelist(3, "consensus: 1000")).totem().timers().consensus()).isEqualTo(1000);
	}

	/** A knet configuration with {@code nodes} nodes and extra totem lines. */
	static String nodelist(int nodes, String totemLines) {
		StringBuilder text = new StringBuilder("totem {\n\tversion: 2\n\tcluster_name: timers\n\t" + totemLines + "\n}\n");
		text.append("nodelist {\n");
		for (int i = 1; i <= nodes; i++) {
			text.append("\tnode {\n\t\tnodeid: ").append(i).append("\n\t\tname: n").append(i)
				.append("\n\t\tring0_addr: 10.98.0.").append(i).append("\n\t}\n");
		}
		return text.append("}\n").toString();
	}

	static CorosyncConfig read(String text) {
		return new CorosyncConfigReader(Map.of()).read(ConfigParser.parse("corosync.conf", text));
	}

}
