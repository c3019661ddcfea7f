package io.corosync4j.engine.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The {@code quorum} section.
 *
 * @param provider {@code corosync_votequorum}, or {@code null} when quorum is off (always quorate)
 * @param expectedVotes configured {@code expected_votes}, or {@code null} to use the nodelist's sum
 * @param votes this node's votes when there is no nodelist
 * @param twoNode quorum of 1 while at most two nodes are members
 * @param waitForAll effective {@code wait_for_all}: configured, or {@code two_node} when not configured
 * @param lastManStanding recalculate expected votes after node loss
 * @param lastManStandingWindow delay before that recalculation, ms
 * @param autoTieBreaker let the partition with the tie-breaker node win an even split
 * @param autoTieBreakerNode {@code lowest}, {@code highest} or node ids in priority order
 * @param allowDownscale the unsupported downscale feature
 * @param expectedVotesTracking effective: configured, or forced on by {@code allow_downscale}
 * @param device the quorum device, or {@code null}
 */
public record QuorumConfig(@Nullable String provider, @Nullable Long expectedVotes, long votes, boolean twoNode,
		boolean waitForAll, boolean lastManStanding, long lastManStandingWindow, boolean autoTieBreaker,
		List<String> autoTieBreakerNode, boolean allowDownscale, boolean expectedVotesTracking,
		@Nullable QuorumDeviceConfig device) {

	public static final String VOTEQUORUM = "corosync_votequorum";

	public QuorumConfig {
		autoTieBreakerNode = List.copyOf(autoTieBreakerNode);
	}

	public boolean votequorum() {
		return VOTEQUORUM.equals(this.provider);
	}

}
