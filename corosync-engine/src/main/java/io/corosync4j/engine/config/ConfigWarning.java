package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * Something accepted but worth telling the operator: a deprecated or unknown key, a key file readable
 * by others.
 *
 * @param origin where the value is
 * @param key the CMAP key concerned, or {@code null}
 * @param message what was noticed and what to do about it
 */
public record ConfigWarning(ConfigOrigin origin, @Nullable String key, String message) {

	public String format() {
		return this.origin + ": " + ((this.key != null) ? this.key + ": " : "") + this.message;
	}

	@Override
	public String toString() {
		return format();
	}

}
