package io.corosync4j.engine.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The valid Corosync configurations that corosync4j cannot run yet. Every {@code totem} option is either
 * acted upon (the protocol timers and constants by the Totem SRP core, {@code netmtu} by its send queue)
 * or listed here, so a node never starts while silently ignoring part of its configuration. The node
 * start refuses these with exit status 8; {@code check} reports them after Corosync's own checks.
 */
public final class NotYetSupported {

	private NotYetSupported() {
	}

	/** What in {@code config} corosync4j does not support yet, one problem per option. */
	public static List<ConfigProblem> problems(CorosyncConfig config) {
		List<ConfigProblem> problems = new ArrayList<>();
		TotemConfig totem = config.totem();
		ConfigMap keys = config.keys();
		ConfigOrigin file = ConfigOrigin.of(keys.source());
		if (keys.contains("totem.downcheck") && totem.transport() != Transport.KNET) {
			// Corosync's udp/udpu re-check a failed interface every downcheck ms; corosync4j's
			// transports report a failed bind at start instead
			problems.add(new ConfigProblem(ConfigStage.TOTEM, keys.originOf("totem.downcheck", file), "totem.downcheck",
					"downcheck (interface re-check period) is not supported by corosync4j yet",
					"remove downcheck; a node whose address is missing fails at start with the address named"));
		}
		return problems;
	}

}
