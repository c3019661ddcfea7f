package io.corosync4j.spring;

import java.util.Comparator;
import java.util.List;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains {@code corosync.*} keys that are no property, each with its value, where it was set and
 * the property it most likely meant; ahead of Boot's own analysis of unbound properties, which has no
 * suggestion.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownCorosyncPropertyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
		List<ConfigurationProperty> unknown = cause.getUnboundProperties()
			.stream()
			.sorted(Comparator.comparing((property) -> property.getName().toString()))
			.toList();
		if (unknown.isEmpty() || !unknown.stream().allMatch((property) -> property.getName().toString().startsWith("corosync."))) {
			return null;
		}
		StringBuilder description = new StringBuilder("corosync4j has no such propert")
			.append((unknown.size() == 1) ? "y" : "ies")
			.append(":\n");
		for (ConfigurationProperty property : unknown) {
			String name = property.getName().toString();
			description.append("\n    Property: ").append(name);
			description.append("\n    Value: \"").append(property.getValue()).append('"');
			description.append("\n    Origin: ").append(property.getOrigin());
			String nearest = CorosyncPropertyNames.nearest(name);
			if (nearest != null) {
				description.append("\n    Did you mean: ").append(nearest);
			}
			description.append('\n');
		}
		return new FailureAnalysis(description.toString(),
				"Correct or remove the properties above. corosync.* keys follow corosync.conf in kebab case "
						+ "(corosync.totem.token=3s, corosync.nodelist[0].ring0-addr=10.0.0.1); docs/spring-properties.md "
						+ "lists them all, and corosync.config-file runs from a corosync.conf for keys that have no property.",
				cause);
	}

}
