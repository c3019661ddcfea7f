package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * One thing wrong with a configuration.
 *
 * @param stage the start-up stage that finds it, which decides the exit status
 * @param origin where the offending value is ({@code file:line}), or the file when no single line is to blame
 * @param key the CMAP key at fault, such as {@code totem.token}; {@code null} for syntax errors
 * @param message what is wrong, in Corosync's words where Corosync has a message for it
 * @param fix how to fix it; {@code null} when the message already says it
 */
public record ConfigProblem(ConfigStage stage, ConfigOrigin origin, @Nullable String key, String message,
		@Nullable String fix) {

	/** {@code <origin>: <key>: <what is wrong> — <how to fix>}. */
	public String format() {
		StringBuilder text = new StringBuilder(this.origin.toString()).append(": ");
		if (this.key != null) {
			text.append(this.key).append(": ");
		}
		text.append(this.message);
		if (this.fix != null) {
			text.append(" — ").append(this.fix);
		}
		return text.toString();
	}

	@Override
	public String toString() {
		return format();
	}

}
