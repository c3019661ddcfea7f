package io.corosync4j.engine.fuzz;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.checkpoint.CheckpointFuzzTargets;
import io.corosync4j.engine.cluster.ClusterFuzzTargets;
import io.corosync4j.engine.config.ConfigFuzzTargets;
import io.corosync4j.engine.crypto.CryptoFuzzTargets;
import io.corosync4j.engine.event.EventFuzzTargets;
import io.corosync4j.engine.lock.LockFuzzTargets;
import io.corosync4j.engine.message.MessageFuzzTargets;
import io.corosync4j.engine.replica.ReplicaFuzzTargets;
import io.corosync4j.engine.service.cfg.CfgFuzzTargets;
import io.corosync4j.engine.service.cmap.CmapFuzzTargets;
import io.corosync4j.engine.service.cpg.CpgFuzzTargets;
import io.corosync4j.engine.service.votequorum.VotequorumFuzzTargets;
import io.corosync4j.engine.sync.SyncFuzzTargets;
import io.corosync4j.engine.totem.pg.PgFuzzTargets;
import io.corosync4j.engine.totem.wire.WireFuzzTargets;
import io.corosync4j.engine.transport.knet.KnetFuzzTargets;

/**
 * Every decoder of bytes from the network or a file. The targets live beside their decoders (most of
 * which are package-private) and are collected here.
 */
public final class FuzzTargets {

	private FuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		List<FuzzTarget> targets = new ArrayList<>();
		targets.addAll(WireFuzzTargets.all());
		targets.addAll(PgFuzzTargets.all());
		targets.addAll(KnetFuzzTargets.all());
		targets.addAll(CryptoFuzzTargets.all());
		targets.addAll(SyncFuzzTargets.all());
		targets.addAll(CpgFuzzTargets.all());
		targets.addAll(VotequorumFuzzTargets.all());
		targets.addAll(CmapFuzzTargets.all());
		targets.addAll(CfgFuzzTargets.all());
		targets.addAll(ClusterFuzzTargets.all());
		targets.addAll(ReplicaFuzzTargets.all());
		targets.addAll(LockFuzzTargets.all());
		targets.addAll(CheckpointFuzzTargets.all());
		targets.addAll(EventFuzzTargets.all());
		targets.addAll(MessageFuzzTargets.all());
		targets.addAll(ConfigFuzzTargets.all());
		return targets;
	}

}
