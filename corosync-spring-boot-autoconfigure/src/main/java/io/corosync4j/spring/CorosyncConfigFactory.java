package io.corosync4j.spring;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.config.ConfigLocations;
import io.corosync4j.engine.config.ConfigMap;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Turns {@link CorosyncProperties} into the engine's validated configuration: either the
 * {@code corosync.conf} they point at, or the {@code corosync.conf} keys they spell, read by the same
 * reader (and so the same defaults, derived timers and checks) as a file would be.
 */
final class CorosyncConfigFactory {

	private final Map<String, String> environment;

	CorosyncConfigFactory(Map<String, String> environment) {
		this.environment = environment;
	}

	/**
	 * @throws io.corosync4j.engine.config.ConfigException naming every problem, with the property or
	 * file line it came from
	 */
	CorosyncConfig create(CorosyncProperties properties) {
		CorosyncConfigReader reader = new CorosyncConfigReader(this.environment);
		Path file = configFile(properties);
		if (file != null) {
			return reader.read(file);
		}
		return reader.read(keys(properties));
	}

	private @Nullable Path configFile(CorosyncProperties properties) {
		if (properties.getConfigFile() != null) {
			return Path.of(properties.getConfigFile());
		}
		String fromEnvironment = this.environment.get(ConfigLocations.MAIN_CONFIG_FILE_VARIABLE);
		return (fromEnvironment != null && !fromEnvironment.isEmpty()) ? Path.of(fromEnvironment) : null;
	}

	/** The {@code corosync.conf} keys the properties stand for. */
	static ConfigMap keys(CorosyncProperties properties) {
		Keys keys = new Keys();
		CorosyncProperties.Totem totem = properties.getTotem();
		int port = port(properties);
		keys.put("totem.version", "2", "corosync.totem");
		keys.put("totem.cluster_name", totem.getClusterName(), "corosync.totem.cluster-name");
		keys.put("totem.transport", totem.getTransport(), "corosync.totem.transport");
		keys.put("totem.interface.0.linknumber", "0", "corosync.totem.port");
		keys.put("totem.interface.0.mcastport", Integer.toString(port), "corosync.totem.port");
		keys.put("totem.token", millis(totem.getToken()), "corosync.totem.token");
		keys.put("totem.token_coefficient", millis(totem.getTokenCoefficient()), "corosync.totem.token-coefficient");
		if (totem.getConsensus() != null) {
			keys.put("totem.consensus", millis(totem.getConsensus()), "corosync.totem.consensus");
		}
		keys.put("totem.join", millis(totem.getJoin()), "corosync.totem.join");
		keys.put("totem.netmtu", Long.toString(totem.getNetmtu().toBytes()), "corosync.totem.netmtu");
		keys.put("totem.max_messages", Integer.toString(totem.getMaxMessages()), "corosync.totem.max-messages");
		keys.put("totem.window_size", Integer.toString(totem.getWindowSize()), "corosync.totem.window-size");
		keys.put("totem.config_version", Long.toString(totem.getConfigVersion()), "corosync.totem.config-version");
		keys.put("totem.block_unlisted_ips", totem.isBlockUnlistedIps() ? "yes" : "no",
				"corosync.totem.block-unlisted-ips");
		keys.put("totem.crypto_cipher", totem.getCryptoCipher(), "corosync.totem.crypto-cipher");
		keys.put("totem.crypto_hash", totem.getCryptoHash(), "corosync.totem.crypto-hash");
		if (totem.getCryptoModel() != null) {
			keys.put("totem.crypto_model", totem.getCryptoModel(), "corosync.totem.crypto-model");
		}
		if (totem.getKeyfile() != null) {
			keys.put("totem.keyfile", totem.getKeyfile(), "corosync.totem.keyfile");
		}
		keys.put("totem.link_mode", totem.getLinkMode(), "corosync.totem.link-mode");
		List<CorosyncProperties.Node> nodes = properties.getNodelist();
		java.util.SortedSet<Integer> links = new java.util.TreeSet<>();
		if (nodes.isEmpty()) {
			keys.put("nodelist.node.0.nodeid", "1", "corosync.nodelist (single-node default)");
			keys.put("nodelist.node.0.ring0_addr", "127.0.0.1", "corosync.nodelist (single-node default)");
		}
		for (int i = 0; i < nodes.size(); i++) {
			CorosyncProperties.Node node = nodes.get(i);
			String property = "corosync.nodelist[" + i + "]";
			String prefix = "nodelist.node." + i + ".";
			if (node.getNodeid() != null) {
				keys.put(prefix + "nodeid", Long.toString(node.getNodeid()), property + ".nodeid");
			}
			if (node.getName() != null) {
				keys.put(prefix + "name", node.getName(), property + ".name");
			}
			node.ringAddrs().forEach((link, address) -> {
				keys.put(prefix + "ring" + link + "_addr", address, property + ".ring" + link + "-addr");
				links.add(link);
			});
			keys.put(prefix + "quorum_votes", Integer.toString(node.getQuorumVotes()), property + ".quorum-votes");
		}
		for (int link : links) {
			if (link > 0) {
				keys.put("totem.interface." + link + ".linknumber", Integer.toString(link), "corosync.totem.port");
				keys.put("totem.interface." + link + ".mcastport", Integer.toString(port + link),
						"corosync.totem.port");
			}
		}
		CorosyncProperties.Quorum quorum = properties.getQuorum();
		if (quorum.isEnabled()) {
			keys.put("quorum.provider", "corosync_votequorum", "corosync.quorum.enabled");
			if (quorum.getExpectedVotes() != null) {
				keys.put("quorum.expected_votes", Long.toString(quorum.getExpectedVotes()), "corosync.quorum.expected-votes");
			}
			keys.put("quorum.two_node", flag(quorum.isTwoNode()), "corosync.quorum.two-node");
			if (quorum.getWaitForAll() != null) {
				keys.put("quorum.wait_for_all", flag(quorum.getWaitForAll()), "corosync.quorum.wait-for-all");
			}
			keys.put("quorum.last_man_standing", flag(quorum.isLastManStanding()), "corosync.quorum.last-man-standing");
			keys.put("quorum.last_man_standing_window", millis(quorum.getLastManStandingWindow()),
					"corosync.quorum.last-man-standing-window");
			keys.put("quorum.auto_tie_breaker", flag(quorum.isAutoTieBreaker()), "corosync.quorum.auto-tie-breaker");
			if (quorum.isAutoTieBreaker()) {
				keys.put("quorum.auto_tie_breaker_node", quorum.getAutoTieBreakerNode(),
						"corosync.quorum.auto-tie-breaker-node");
			}
			keys.put("quorum.expected_votes_tracking", flag(quorum.isExpectedVotesTracking()),
					"corosync.quorum.expected-votes-tracking");
		}
		String stateDir = properties.getSystem().getStateDir();
		if (stateDir == null && totem.getPort() == 0) {
			// a node on a free port is a throw-away one (a test): parallel ones must not share a ring id file
			try {
				stateDir = Files.createTempDirectory("corosync4j-").toString();
			}
			catch (IOException ex) {
				throw new InvalidConfigurationPropertyValueException("corosync.system.state-dir", null,
						"No temporary directory for a node on a free port: " + ex.getMessage());
			}
		}
		if (stateDir == null) {
			stateDir = Path.of(System.getProperty("java.io.tmpdir"), "corosync4j", totem.getClusterName()).toString();
		}
		keys.put("system.state_dir", stateDir, "corosync.system.state-dir");
		String qbIpcType = properties.getSystem().getQbIpcType();
		if (qbIpcType != null) {
			keys.put("system.qb_ipc_type", qbIpcType, "corosync.system.qb-ipc-type");
		}
		return keys.builder.build();
	}

	/** The configured port, or for 0 one the OS has free now on this node's address (one-node rings only). */
	private static int port(CorosyncProperties properties) {
		int port = properties.getTotem().getPort();
		if (port != 0) {
			return port;
		}
		List<CorosyncProperties.Node> nodes = properties.getNodelist();
		if (!"udpu".equals(properties.getTotem().getTransport())) {
			// udp binds the port below it too, knet one per link above it: one free port is not enough
			throw new InvalidConfigurationPropertyValueException("corosync.totem.port", 0,
					"0 picks a free port for the udpu transport only; set a port for "
							+ properties.getTotem().getTransport() + ".");
		}
		if (nodes.size() > 1) {
			throw new InvalidConfigurationPropertyValueException("corosync.totem.port", 0,
					"0 picks a free port, which suits a one-node ring only: the members of a ring must use the same "
							+ "port. Set the cluster's port (tests: ask the OS for a free one once and give it to every member).");
		}
		String address = (properties.getLocalAddress() != null) ? properties.getLocalAddress()
				: nodes.isEmpty() || nodes.get(0).getRing0Addr() == null ? "127.0.0.1" : nodes.get(0).getRing0Addr();
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new InvalidConfigurationPropertyValueException("corosync.totem.port", 0,
					"No free UDP port on " + address + ": " + ex.getMessage());
		}
	}

	private static String millis(Duration duration) {
		return Long.toString(duration.toMillis());
	}

	private static String flag(boolean value) {
		return value ? "1" : "0";
	}

	/** Keys typed as the parser types them, each naming the property it came from. */
	private static final class Keys {

		final ConfigMap.Builder builder = ConfigMap.builder("application properties (corosync.*)");

		void put(String key, String text, String property) {
			this.builder.putText(key, text, ConfigOrigin.of(property));
		}

	}

}
