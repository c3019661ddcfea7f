package io.corosync4j.spring;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.ConfigProblem;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.Environment;

/**
 * Explains a cluster configuration the engine refused, every problem where it came from. A problem in
 * a {@code corosync.conf} is told in that file's terms, with its line. A problem in {@code corosync.*}
 * properties is told as Boot tells a bad property: the property, its value, where it was set (file and
 * line), Corosync's reason, and what to write instead in property terms (a duration such as
 * {@code 3s}, not the milliseconds the file takes).
 */
class CorosyncConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

	private static final Pattern NUMBER_RANGE = Pattern.compile("expected to be integer in range \\((\\d+)\\.\\.(\\d+)\\)");

	/** Properties that are {@code Duration}s and {@code DataSize}s, whose file keys take plain numbers. */
	private static final Map<String, String> FORMS = Map.of("corosync.totem.token", "a duration such as 3s or 500ms",
			"corosync.totem.token-coefficient", "a duration such as 650ms", "corosync.totem.consensus",
			"a duration such as 3600ms", "corosync.totem.join", "a duration such as 50ms",
			"corosync.quorum.last-man-standing-window", "a duration such as 10s", "corosync.totem.netmtu",
			"a size such as 1500B");

	/** corosync.conf words in the engine's advice, and the properties a Spring user sets instead. */
	private static final Map<String, String> KEYS = Map.of("crypto_hash", "corosync.totem.crypto-hash", "crypto_cipher",
			"corosync.totem.crypto-cipher", "totem.keyfile", "corosync.totem.keyfile", "link_mode",
			"corosync.totem.link-mode", "two_node", "corosync.quorum.two-node", "expected_votes",
			"corosync.quorum.expected-votes", "cluster_name", "corosync.totem.cluster-name");

	private static final String LOCAL_ADDRESS = "corosync.local-address";

	private final Environment environment;

	CorosyncConfigFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
		StringBuilder description = new StringBuilder("The corosync4j cluster configuration is not valid:\n");
		StringBuilder action = new StringBuilder();
		for (ConfigProblem problem : cause.problems()) {
			String property = property(problem);
			if (property != null) {
				describeProperty(description, action, property, problem);
				continue;
			}
			if (isLocalHostProblem(problem)) {
				describeLocalHost(description, action, problem);
				continue;
			}
			description.append("\n    ").append(problem.origin()).append(": ");
			if (problem.key() != null) {
				description.append(problem.key()).append(": ");
			}
			description.append(problem.message());
			if (problem.fix() != null) {
				action.append("\n    ").append(problem.fix());
			}
		}
		String fixes = (action.length() > 0) ? "Fix each problem:" + action
				: "Fix the corosync.* properties (or the corosync.conf named by corosync.config-file).";
		return new FailureAnalysis(description.toString(), fixes, cause);
	}

	/** The {@code corosync.*} property a problem came from, or {@code null} for a file's. */
	private static @Nullable String property(ConfigProblem problem) {
		String source = problem.origin().source();
		if (problem.origin().line() == 0 && source.startsWith("corosync.") && ConfigurationPropertyName.isValid(source)) {
			return source;
		}
		return null;
	}

	private void describeProperty(StringBuilder description, StringBuilder action, String property, ConfigProblem problem) {
		description.append("\n    Property: ").append(property);
		ConfigurationProperty set = find(property);
		if (set != null) {
			description.append("\n    Value: \"").append(set.getValue()).append('"');
			if (set.getOrigin() != null) {
				description.append("\n    Origin: ").append(set.getOrigin());
			}
		}
		description.append("\n    Reason: ").append(problem.message()).append('\n');
		action.append("\n    ").append(property).append(": ").append(advice(property, problem));
	}

	/** Properties (not a file) that name no node of this host. */
	private static boolean isLocalHostProblem(ConfigProblem problem) {
		return "nodelist".equals(problem.key()) && problem.origin().line() == 0
				&& problem.origin().source().startsWith("application properties")
				&& problem.message().startsWith("No valid name found for local host");
	}

	private void describeLocalHost(StringBuilder description, StringBuilder action, ConfigProblem problem) {
		ConfigurationProperty local = find(LOCAL_ADDRESS);
		if (local == null) {
			description.append("\n    corosync.nodelist: ").append(problem.message())
				.append(" (no entry has an address of this host)\n");
			action.append("\n    corosync.nodelist: give this host an entry whose ring0-addr is one of its addresses "
					+ "(or whose name is its host name), or set corosync.local-address to the ring0-addr of its entry");
			return;
		}
		description.append("\n    Property: ").append(LOCAL_ADDRESS)
			.append("\n    Value: \"").append(local.getValue()).append('"');
		if (local.getOrigin() != null) {
			description.append("\n    Origin: ").append(local.getOrigin());
		}
		description.append("\n    Reason: no corosync.nodelist entry has this address (")
			.append(problem.message()).append(")\n");
		action.append("\n    ").append(LOCAL_ADDRESS)
			.append(": set the ring0-addr of this node's corosync.nodelist entry");
	}

	/** What to write, in property terms. */
	static String advice(String property, ConfigProblem problem) {
		Matcher range = NUMBER_RANGE.matcher(problem.message());
		if (range.find()) {
			String form = FORMS.get(property);
			return (form != null) ? "set " + form + ", not negative"
					: "set a whole number from " + range.group(1) + " to " + range.group(2);
		}
		if (property.equals("corosync.totem.transport")) {
			return "set udpu (the default), udp or knet (which encrypts with crypto-cipher and crypto-hash)";
		}
		String fix = problem.fix();
		if (fix == null) {
			return "correct it";
		}
		for (Map.Entry<String, String> key : KEYS.entrySet()) {
			fix = fix.replaceAll("(?<![\\w.-])" + Pattern.quote(key.getKey()) + "(?![\\w-])", key.getValue());
		}
		return fix;
	}

	private @Nullable ConfigurationProperty find(String property) {
		ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			ConfigurationProperty found = source.getConfigurationProperty(name);
			if (found != null) {
				return found;
			}
		}
		return null;
	}

}
