package io.corosync4j.engine.service.cmap;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.ServiceSeeds;
import io.corosync4j.engine.service.ServiceEngine;

/** CMAP's mcast ({@link CmapMessages#decode}, {@code null} on reject), in both byte orders. */
public final class CmapFuzzTargets {

	private CmapFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<byte[]> seeds = new ArrayList<>(ServiceSeeds.of("a", ServiceEngine.CMAP));
		seeds.add(CmapMessages.configVersion(CmapMessages.REASON_SYNC, OptionalLong.of(7)));
		seeds.add(CmapMessages.configVersion(CmapMessages.REASON_NEW_CONFIG_VERSION, OptionalLong.empty()));
		return List.of(FuzzTarget.of("cmap", "CmapMessages.decode(byte[], boolean): a config version or null", seeds,
				(input) -> CmapMessages.decode(input, false) != null | CmapMessages.decode(input, true) != null));
	}

}
