package io.corosync4j.engine.config;

import java.nio.file.Path;

/**
 * The {@code system} section.
 *
 * @param stateDir where ring ids and expected-votes tracking are kept: {@code system.state_dir},
 * else {@code $STATE_DIRECTORY}, else {@code /var/lib/corosync}
 * @param schedRr try real-time scheduling (meaningless for a JVM; kept for the CMAP view)
 * @param qbIpcType IPC transport of the C daemon (kept for the CMAP view)
 */
public record SystemConfig(Path stateDir, boolean schedRr, String qbIpcType) {

	public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/corosync");

}
