package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * {@code quorum.device}: a quorum device (qdevice) contributing votes.
 *
 * @param model the device model, such as {@code net}
 * @param votes the device's votes, or {@code null} to compute them (nodes − 1 when every node has one vote)
 * @param timeout the device must poll within this time, ms
 * @param syncTimeout poll wait allowed during sync, ms
 * @param masterWins the master-wins flag
 */
public record QuorumDeviceConfig(String model, @Nullable Long votes, long timeout, long syncTimeout,
		boolean masterWins) {
}
