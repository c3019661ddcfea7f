package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.ServiceSeeds;
import io.corosync4j.engine.service.ServiceEngine;

/** votequorum's four message decoders, in both byte orders; each returns {@code null} on reject. */
public final class VotequorumFuzzTargets {

	private VotequorumFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> seeds = new ArrayList<>(ServiceSeeds.of("a", ServiceEngine.VOTEQUORUM));
		seeds.add(new VotequorumMessages.NodeInfo(2, 1, 3, 0x13).encode());
		seeds.add(new VotequorumMessages.Reconfigure(2, 4, VotequorumMessages.PARAM_EXPECTED_VOTES).encode());
		seeds.add(new VotequorumMessages.QdeviceRegistration(VotequorumMessages.QDEVICE_REGISTER, "Qdevice").encode());
		return List.of(FuzzTarget.of("votequorum",
				"VotequorumMessages.{NodeInfo,Reconfigure,QdeviceRegistration,QdeviceRename}.decode: a message or null",
				seeds, VotequorumFuzzTargets::decode));
	}

	private static boolean decode(byte[] input) {
		boolean accepted = false;
		for (boolean bigEndian : new boolean[] { false, true }) {
			accepted |= VotequorumMessages.NodeInfo.decode(input, bigEndian) != null;
			accepted |= VotequorumMessages.Reconfigure.decode(input, bigEndian) != null;
			accepted |= VotequorumMessages.QdeviceRegistration.decode(input, bigEndian) != null;
		}
		accepted |= VotequorumMessages.QdeviceRename.decode(input) != null;
		return accepted;
	}

}
