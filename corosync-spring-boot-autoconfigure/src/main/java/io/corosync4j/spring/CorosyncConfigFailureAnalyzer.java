package io.corosync4j.spring;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.ConfigProblem;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a cluster configuration the engine refused: every problem with the property or file line it
 * came from, and what to change.
 */
class CorosyncConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
		StringBuilder description = new StringBuilder("The corosync4j cluster configuration is not valid:\n");
		StringBuilder action = new StringBuilder();
		for (ConfigProblem problem : cause.problems()) {
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

}
