package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.NodeConfig;
import io.corosync4j.engine.config.QuorumConfig;
import io.corosync4j.engine.config.QuorumDeviceConfig;
import org.jspecify.annotations.Nullable;

/**
 * What votequorum reads from the configuration at start ({@code votequorum_readconfig}), after the
 * configuration reader's validation and adjustments (ATB turned off in an odd cluster without
 * {@code wait_for_all}, {@code two_node} off with ATB).
 *
 * @param votes this node's votes: its nodelist {@code quorum_votes}, else {@code quorum.votes}
 * @param nodelistExpectedVotes the nodelist's vote sum (plus auto-computed device votes), or 0 without a nodelist
 * @param configuredExpectedVotes {@code quorum.expected_votes}, or 0
 * @param twoNode {@code two_node}
 * @param waitForAll effective {@code wait_for_all}
 * @param lastManStanding {@code last_man_standing}
 * @param lastManStandingWindowMillis {@code last_man_standing_window}
 * @param tieBreaker the ATB mode
 * @param tieBreakerNodes the ATB node list, for {@link TieBreaker#LIST}
 * @param allowDownscale {@code allow_downscale}
 * @param expectedVotesTracking {@code expected_votes_tracking} (forced on by {@code allow_downscale})
 * @param qdeviceVotes the configured (or computed) quorum device votes, 0 without a device
 */
public record VotequorumSettings(long votes, long nodelistExpectedVotes, long configuredExpectedVotes, boolean twoNode,
		boolean waitForAll, boolean lastManStanding, long lastManStandingWindowMillis, TieBreaker tieBreaker,
		List<Long> tieBreakerNodes, boolean allowDownscale, boolean expectedVotesTracking, long qdeviceVotes) {

	/** {@code auto_tie_breaker_node}: which partition of an even split keeps quorum. */
	public enum TieBreaker {

		NONE, LOWEST, HIGHEST, LIST

	}

	public VotequorumSettings {
		tieBreakerNodes = List.copyOf(tieBreakerNodes);
	}

	/**
	 * Reads the settings for the node at {@code localPosition} of the nodelist.
	 * @param config a validated configuration with {@code provider: corosync_votequorum}
	 * @param localPosition the local node's nodelist position, or {@code null} without a nodelist
	 */
	public static VotequorumSettings of(CorosyncConfig config, @Nullable Integer localPosition) {
		QuorumConfig quorum = config.quorum();
		long votes = quorum.votes();
		long nodelistExpected = 0;
		long nodeCount = 0;
		boolean haveNodelist = localPosition != null && !config.nodes().isEmpty();
		if (haveNodelist) {
			for (NodeConfig node : config.nodes()) {
				nodelistExpected += node.quorumVotes();
				nodeCount++;
				if (node.position() == localPosition) {
					votes = node.quorumVotes();
				}
			}
		}
		long configuredExpected = (quorum.expectedVotes() != null) ? quorum.expectedVotes() : 0;
		long qdeviceVotes = 0;
		QuorumDeviceConfig device = quorum.device();
		if (device != null) {
			if (device.votes() != null) {
				qdeviceVotes = device.votes();
			}
			else if (configuredExpected == 0 && haveNodelist && nodeCount == nodelistExpected) {
				qdeviceVotes = nodelistExpected - 1;
				nodelistExpected += qdeviceVotes;
			}
		}
		TieBreaker tieBreaker = TieBreaker.NONE;
		List<Long> tieBreakerNodes = new ArrayList<>();
		if (quorum.autoTieBreaker()) {
			List<String> spec = quorum.autoTieBreakerNode();
			if (spec.equals(List.of("highest"))) {
				tieBreaker = TieBreaker.HIGHEST;
			}
			else if (spec.isEmpty() || spec.equals(List.of("lowest"))) {
				tieBreaker = TieBreaker.LOWEST;
			}
			else {
				for (String id : spec) {
					tieBreakerNodes.add(Long.parseLong(id));
				}
				tieBreaker = TieBreaker.LIST;
			}
		}
		return new VotequorumSettings(votes, nodelistExpected, configuredExpected, quorum.twoNode(),
				quorum.waitForAll(), quorum.lastManStanding(), quorum.lastManStandingWindow(), tieBreaker,
				tieBreakerNodes, quorum.allowDownscale(), quorum.expectedVotesTracking(), qdeviceVotes);
	}

}
