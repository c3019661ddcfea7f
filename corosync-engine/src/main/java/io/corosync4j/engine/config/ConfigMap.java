package io.corosync4j.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

/**
 * An immutable, sorted map of typed configuration keys: what Corosync's icmap holds after
 * {@code corosync.conf} was parsed, and the shape of the CMAP view a running node publishes.
 * Keys iterate in byte order, as icmap's do.
 */
public final class ConfigMap {

	private final String source;

	private final NavigableMap<String, ConfigEntry> entries;

	private ConfigMap(String source, NavigableMap<String, ConfigEntry> entries) {
		this.source = source;
		this.entries = Collections.unmodifiableNavigableMap(entries);
	}

	/**
	 * A builder for a map.
	 * @param source what the keys come from, such as the file name; named in error messages
	 */
	public static Builder builder(String source) {
		return new Builder(source, new TreeMap<>());
	}

	/** A builder that starts with this map's source and entries. */
	public Builder toBuilder() {
		return new Builder(this.source, new TreeMap<>(this.entries));
	}

	/** What the keys come from (a file name or property source), for messages about the whole map. */
	public String source() {
		return this.source;
	}

	public @Nullable ConfigEntry get(String key) {
		return this.entries.get(key);
	}

	public boolean contains(String key) {
		return this.entries.containsKey(key);
	}

	public Optional<String> string(String key) {
		ConfigEntry entry = this.entries.get(key);
		return (entry != null && entry.type() == ValueType.STRING) ? Optional.of((String) entry.value())
				: Optional.empty();
	}

	/** The integer value of {@code key}, empty when it is absent or not an integer. */
	public OptionalLong number(String key) {
		ConfigEntry entry = this.entries.get(key);
		return (entry != null && entry.type().isInteger()) ? OptionalLong.of(entry.longValue())
				: OptionalLong.empty();
	}

	/** Where {@code key} came from, or {@code fallback} when it is absent. */
	public ConfigOrigin originOf(String key, ConfigOrigin fallback) {
		ConfigEntry entry = this.entries.get(key);
		return (entry != null) ? entry.origin() : fallback;
	}

	/** Entries whose key starts with {@code prefix}, in key order. */
	public List<ConfigEntry> withPrefix(String prefix) {
		SortedMap<String, ConfigEntry> tail = this.entries.tailMap(prefix, true);
		List<ConfigEntry> result = new ArrayList<>();
		for (ConfigEntry entry : tail.values()) {
			if (!entry.key().startsWith(prefix)) {
				break;
			}
			result.add(entry);
		}
		return result;
	}

	public List<ConfigEntry> entries() {
		return List.copyOf(this.entries.values());
	}

	public int size() {
		return this.entries.size();
	}

	/** The map as {@code corosync-cmapctl} prints it, one {@code key (type) = value} per line. */
	public String toCmapDump() {
		StringBuilder dump = new StringBuilder();
		for (ConfigEntry entry : this.entries.values()) {
			dump.append(entry.toCmapLine()).append('\n');
		}
		return dump.toString();
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof ConfigMap map) && map.source.equals(this.source) && map.entries.equals(this.entries);
	}

	@Override
	public int hashCode() {
		return this.source.hashCode() * 31 + this.entries.hashCode();
	}

	@Override
	public String toString() {
		return toCmapDump();
	}

	/** Collects entries; a later {@code put} of the same key replaces the earlier one. */
	public static final class Builder {

		private final String source;

		private final TreeMap<String, ConfigEntry> entries;

		private Builder(String source, TreeMap<String, ConfigEntry> entries) {
			this.source = source;
			this.entries = entries;
		}

		public Builder put(ConfigEntry entry) {
			this.entries.put(entry.key(), entry);
			return this;
		}

		public Builder putString(String key, String value, ConfigOrigin origin) {
			return put(ConfigEntry.ofString(key, value, origin));
		}

		/**
		 * Adds a value written as text, typed and checked as Corosync's parser would.
		 * @throws ConfigException when the parser would refuse the value
		 */
		public Builder putText(String key, String text, ConfigOrigin origin) {
			return put(ConfigSchema.convert(key, text, origin));
		}

		public Builder putNumber(String key, ValueType type, long value, ConfigOrigin origin) {
			return put(ConfigEntry.ofNumber(key, type, value, origin));
		}

		public Builder remove(String key) {
			this.entries.remove(key);
			return this;
		}

		public boolean contains(String key) {
			return this.entries.containsKey(key);
		}

		public ConfigMap build() {
			return new ConfigMap(this.source, new TreeMap<>(this.entries));
		}

	}

}
