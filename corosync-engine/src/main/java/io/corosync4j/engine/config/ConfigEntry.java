package io.corosync4j.engine.config;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One typed key of the configuration map, as Corosync's CMAP holds it.
 *
 * @param key the CMAP key name, such as {@code totem.token}
 * @param type the CMAP value type
 * @param value a {@link Long} for integer types (unsigned 64-bit values with unsigned semantics),
 * a {@link String} for {@link ValueType#STRING}, a {@code byte[]} for {@link ValueType#BINARY}
 * @param origin where the value came from
 */
public record ConfigEntry(String key, ValueType type, Object value, ConfigOrigin origin) {

	public ConfigEntry {
		Objects.requireNonNull(key, "key");
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(value, "value");
		Objects.requireNonNull(origin, "origin");
		if (type.isInteger() && !(value instanceof Long)) {
			throw new IllegalArgumentException(key + ": integer type " + type + " needs a Long value");
		}
		if (type == ValueType.STRING && !(value instanceof String)) {
			throw new IllegalArgumentException(key + ": string type needs a String value");
		}
		if (type == ValueType.BINARY && !(value instanceof byte[])) {
			throw new IllegalArgumentException(key + ": binary type needs a byte[] value");
		}
	}

	public static ConfigEntry ofString(String key, String value, ConfigOrigin origin) {
		return new ConfigEntry(key, ValueType.STRING, value, origin);
	}

	public static ConfigEntry ofNumber(String key, ValueType type, long value, ConfigOrigin origin) {
		return new ConfigEntry(key, type, value, origin);
	}

	/** The integer value; only for integer types. */
	public long longValue() {
		if (!this.type.isInteger()) {
			throw new IllegalStateException(this.key + " is of type " + this.type.cmapName() + ", not an integer");
		}
		return (Long) this.value;
	}

	/** The value as text, as {@code corosync-cmapctl} prints it. */
	public String valueText() {
		if (this.type == ValueType.UINT64) {
			return Long.toUnsignedString((Long) this.value);
		}
		if (this.value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.ISO_8859_1);
		}
		return this.value.toString();
	}

	/** One line of a {@code corosync-cmapctl} dump: {@code key (type) = value}. */
	public String toCmapLine() {
		return this.key + " (" + this.type.cmapName() + ") = " + valueText();
	}

}
