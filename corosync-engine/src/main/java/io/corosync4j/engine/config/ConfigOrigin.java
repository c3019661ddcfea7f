package io.corosync4j.engine.config;

/**
 * Where a configuration value came from: a file and line, a property source, or a built-in default.
 *
 * @param source the file name or property source name
 * @param line the 1-based line number in {@code source}, or 0 when the source has no lines
 */
public record ConfigOrigin(String source, int line) {

	/** Origin of values that nobody configured: Corosync's defaults and derived values. */
	public static final ConfigOrigin DEFAULT = new ConfigOrigin("default", 0);

	public static ConfigOrigin of(String source) {
		return new ConfigOrigin(source, 0);
	}

	public static ConfigOrigin of(String source, int line) {
		return new ConfigOrigin(source, line);
	}

	@Override
	public String toString() {
		return (this.line > 0) ? this.source + ":" + this.line : this.source;
	}

}
