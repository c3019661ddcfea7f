package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.NodeInfo;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.QdeviceRegistration;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.Reconfigure;
import io.corosync4j.engine.totem.pg.CapturedServiceMessages;
import io.corosync4j.engine.totem.pg.CapturedServiceMessages.Message;
import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** votequorum's messages against the reference layout and real Corosync 3.1.7 traffic. */
class VotequorumMessagesTests {

	@Test
	void nodeInfoHasCorosyncsLayout() {
		// corosync-wire.md 13.6: node 1, 1 vote, expected 2, quorate
		byte[] expected = HexFormat.of()
			.parseHex("00000500000000002000000000000000" + "01000000010000000200000001000000");
		assertThat(new NodeInfo(1, 1, 2, NodeFlags.QUORATE).encode()).isEqualTo(expected);
		assertThat(NodeInfo.decode(expected, false)).isEqualTo(new NodeInfo(1, 1, 2, 1));
	}

	@Test
	void bigEndianSendersAreReadInTheirOrder() {
		byte[] big = HexFormat.of().parseHex("00050000000000000000002000000000" + "00000003000000010000000500000009");
		assertThat(NodeInfo.decode(big, true)).isEqualTo(new NodeInfo(3, 1, 5, 9));
	}

	@Test
	void reconfigureAndDeviceRegistrationRoundTrip() {
		Reconfigure change = new Reconfigure(2, 7, VotequorumMessages.PARAM_EXPECTED_VOTES);
		byte[] bytes = change.encode();
		assertThat(bytes).hasSize(32);
		assertThat(bytes[24]).isEqualTo((byte) 1);
		assertThat(Reconfigure.decode(bytes, false)).isEqualTo(change);
		QdeviceRegistration registration = new QdeviceRegistration(VotequorumMessages.QDEVICE_REGISTER, "Qdevice");
		assertThat(registration.encode()).hasSize(VotequorumMessages.QDEVICE_REG_SIZE);
		assertThat(QdeviceRegistration.decode(registration.encode(), false)).isEqualTo(registration);
	}

	@Test
	void truncatedMessagesDecodeToNothing() {
		assertThat(NodeInfo.decode(new byte[31], false)).isNull();
		assertThat(Reconfigure.decode(new byte[24], false)).isNull();
		assertThat(QdeviceRegistration.decode(new byte[100], false)).isNull();
		assertThat(VotequorumMessages.QdeviceRename.decode(new byte[500])).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "udpu-3node-lifecycle", "udpu-recovery-encapsulated" })
	void everyCapturedNodeInfoDecodesAndEncodesIdentically(String scenario) {
		Set<Integer> flags = new TreeSet<>();
		int count = 0;
		for (Message message : CapturedServiceMessages.load(scenario)) {
			if (message.group().equals("a") && message.serviceId() >>> 16 == ServiceEngine.VOTEQUORUM) {
				assertThat(message.serviceId() & 0xFFFF).isEqualTo(VotequorumMessages.NODEINFO);
				NodeInfo info = NodeInfo.decode(message.payload(), false);
				assertThat(info).isNotNull();
				assertThat(info.encode()).isEqualTo(message.payload());
				flags.add(info.flags());
				count++;
			}
		}
		assertThat(count).isGreaterThan(10);
		assertThat(flags).contains(0, NodeFlags.QUORATE);
	}

	/**
	 * Node 1 of the lifecycle capture, replayed: every ring's votequorum messages in agreed order, with
	 * synchronization around them, give the verdicts node 1's Corosync logged.
	 */
	@Test
	void replayingTheLifecycleCaptureReachesCorosyncsVerdicts() {
		Map<RingId, List<Message>> rings = new LinkedHashMap<>();
		Map<RingId, Set<Long>> ringMembers = new LinkedHashMap<>();
		for (Message message : CapturedServiceMessages.load("udpu-3node-lifecycle")) {
			rings.computeIfAbsent(message.ringId(), (key) -> new ArrayList<>()).add(message);
			if (message.group().equals("sync")) {
				ringMembers.computeIfAbsent(message.ringId(), (key) -> new TreeSet<>()).add(message.nodeid());
			}
		}
		QuorumHarness.Member node1 = new QuorumHarness.Member(1, VoteQuorumScenarioTests.settings(3, ""));
		Map<String, Boolean> verdicts = new LinkedHashMap<>();
		for (Map.Entry<RingId, List<Message>> ring : rings.entrySet()) {
			List<Long> members = List.copyOf(ringMembers.get(ring.getKey()));
			if (!members.contains(1L)) {
				continue;
			}
			node1.engine.syncInit(members, ring.getKey());
			for (Message message : ring.getValue()) {
				if (message.group().equals("a") && message.serviceId() >>> 16 == ServiceEngine.VOTEQUORUM) {
					QuorumHarness.deliver(node1.engine, message.nodeid(), message.payload());
				}
			}
			node1.engine.syncActivate();
			QuorumState state = node1.state();
			verdicts.put(ring.getKey() + " " + members, state.quorate());
			assertThat(state.members()).isEqualTo(members);
			assertThat(state.expectedVotes()).isEqualTo(3);
			assertThat(state.quorum()).isEqualTo(2);
			assertThat(state.totalVotes()).isEqualTo(members.size());
		}
		// alone in 1.5, "quorum regained" in ring 1.9, then "within the primary component" in every later ring
		assertThat(verdicts).containsExactly(Map.entry("1.5 [1]", false), Map.entry("1.9 [1, 2]", true), Map.entry("1.d [1, 2, 3]", true),
				Map.entry("1.11 [1, 2]", true), Map.entry("1.16 [1, 2, 3]", true), Map.entry("1.1a [1, 3]", true));
	}

}
