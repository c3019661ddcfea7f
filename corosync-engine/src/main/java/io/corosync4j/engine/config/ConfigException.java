package io.corosync4j.engine.config;

import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * A configuration that cannot be used. Carries every problem found, each naming its origin, key and
 * fix; {@link #getMessage()} lists them one per line, so the message alone explains the failure.
 */
public class ConfigException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final transient List<ConfigProblem> problems;

	public ConfigException(List<ConfigProblem> problems) {
		this(problems, null);
	}

	public ConfigException(List<ConfigProblem> problems, @Nullable Throwable cause) {
		super(describe(problems), cause);
		if (problems.isEmpty()) {
			throw new IllegalArgumentException("A ConfigException needs at least one problem");
		}
		this.problems = List.copyOf(problems);
	}

	public ConfigException(ConfigProblem problem) {
		this(List.of(problem));
	}

	public List<ConfigProblem> problems() {
		return this.problems;
	}

	/** The first problem, which is the one Corosync itself would have reported. */
	public ConfigProblem firstProblem() {
		return this.problems.get(0);
	}

	/** The exit status Corosync would use: that of the earliest stage with a problem. */
	public int exitStatus() {
		return this.problems.stream().map(ConfigProblem::stage).min(Enum::compareTo).orElseThrow().exitStatus();
	}

	private static String describe(List<ConfigProblem> problems) {
		return problems.stream().map(ConfigProblem::format).collect(Collectors.joining(System.lineSeparator()));
	}

}
