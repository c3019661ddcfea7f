package io.corosync4j.engine.service.cfg;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.ServiceSeeds;
import io.corosync4j.engine.service.ServiceEngine;

/**
 * CFG's one message with a body to read, killnode ({@link CfgMessages#decodeKillNode}, {@code null} on
 * reject), in both byte orders; its other messages are acted upon by their header alone.
 */
public final class CfgFuzzTargets {

	private CfgFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> seeds = new ArrayList<>(ServiceSeeds.of("a", ServiceEngine.CFG));
		seeds.add(CfgMessages.killNode(3, "fenced by the operator"));
		seeds.add(CfgMessages.killNode(0xFFFFFFFFL, "x".repeat(300)));
		seeds.add(CfgMessages.reloadConfig(2));
		return List.of(FuzzTarget.of("cfg", "CfgMessages.decodeKillNode(byte[], boolean): a killnode or null", seeds,
				(input) -> CfgMessages.decodeKillNode(input, false) != null
						| CfgMessages.decodeKillNode(input, true) != null));
	}

}
