package io.corosync4j.engine.service.cmap;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigMap;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.CmapEvent.Type;
import io.corosync4j.engine.service.cmap.CmapException.Error;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's CMAP ({@code icmap} plus the {@code stats} map): typed keys in name order, read-only keys and
 * prefixes, values computed on read for statistics, and tracking of adds, deletes and modifications of a
 * key or a prefix. Safe from any thread; a tracker runs on the thread that made the change, after it.
 *
 * <p>Nothing in it is replicated: every node keeps its own, as Corosync does.
 */
public final class Cmap {

	private static final Logger logger = LoggerFactory.getLogger(Cmap.class);

	/** {@code ICMAP_KEYNAME_MINLEN} and {@code ICMAP_KEYNAME_MAXLEN}. */
	static final int KEY_MIN_LENGTH = 3;

	static final int KEY_MAX_LENGTH = 255;

	private static final Pattern KEY_CHARACTERS = Pattern.compile("[A-Za-z0-9._/:-]+");

	private final ConcurrentSkipListMap<String, ConfigEntry> entries = new ConcurrentSkipListMap<>();

	private final Set<String> readOnlyKeys = ConcurrentHashMap.newKeySet();

	private final List<String> readOnlyPrefixes = new CopyOnWriteArrayList<>();

	private final Map<String, Supplier<List<ConfigEntry>>> computed = new ConcurrentSkipListMap<>();

	private final List<Tracker> trackers = new CopyOnWriteArrayList<>();

	private final Object writeLock = new Object();

	/** An empty map. */
	public Cmap() {
	}

	/** A map holding the configuration's keys. */
	public static Cmap of(ConfigMap config) {
		Cmap cmap = new Cmap();
		for (ConfigEntry entry : config.entries()) {
			cmap.entries.put(entry.key(), entry);
		}
		return cmap;
	}

	// ---------------------------------------------------------------------------------------------
	// Reading

	/** A key's entry, stored or computed. */
	public Optional<ConfigEntry> get(String key) {
		ConfigEntry stored = this.entries.get(key);
		if (stored != null) {
			return Optional.of(stored);
		}
		for (Map.Entry<String, Supplier<List<ConfigEntry>>> provider : this.computed.entrySet()) {
			if (key.startsWith(provider.getKey())) {
				for (ConfigEntry entry : provider.getValue().get()) {
					if (entry.key().equals(key)) {
						return Optional.of(entry);
					}
				}
			}
		}
		return Optional.empty();
	}

	/** An integer key's value. */
	public Optional<Long> getLong(String key) {
		return get(key).filter((entry) -> entry.type().isInteger()).map(ConfigEntry::longValue);
	}

	/** A string key's value. */
	public Optional<String> getString(String key) {
		return get(key).filter((entry) -> entry.type() == ValueType.STRING).map((entry) -> (String) entry.value());
	}

	/** The keys starting with {@code prefix} (all keys for {@code ""}), in name order. */
	public List<ConfigEntry> entries(String prefix) {
		NavigableMap<String, ConfigEntry> result = new TreeMap<>(
				prefix.isEmpty() ? this.entries : this.entries.subMap(prefix, true, prefix + Character.MAX_VALUE, true));
		for (Map.Entry<String, Supplier<List<ConfigEntry>>> provider : this.computed.entrySet()) {
			if (provider.getKey().startsWith(prefix) || prefix.startsWith(provider.getKey())) {
				for (ConfigEntry entry : provider.getValue().get()) {
					if (entry.key().startsWith(prefix)) {
						result.put(entry.key(), entry);
					}
				}
			}
		}
		return List.copyOf(result.values());
	}

	/** Whether a client may not change the key ({@code icmap_is_key_ro}). */
	public boolean isReadOnly(String key) {
		return this.readOnlyKeys.contains(key) || this.readOnlyPrefixes.stream().anyMatch(key::startsWith)
				|| isComputed(key);
	}

	/** Whether the key lies under a prefix whose values are computed on read ({@link #registerComputed}). */
	public boolean isComputed(String key) {
		return computedPrefix(key) != null;
	}

	// ---------------------------------------------------------------------------------------------
	// Client changes: checked against the read-only keys

	/**
	 * Sets a key as a client would ({@code cmap_set}).
	 * @throws CmapException for a read-only key, an invalid name, or a value outside the type's range
	 */
	public void set(String key, ValueType type, Object value) {
		checkWritable(key);
		put(key, type, value);
	}

	/** Sets an integer key as a client would. */
	public void setNumber(String key, ValueType type, long value) {
		set(key, type, value);
	}

	/** Sets a string key as a client would. */
	public void setString(String key, String value) {
		set(key, ValueType.STRING, value);
	}

	/**
	 * Deletes a key as a client would ({@code cmap_delete}).
	 * @throws CmapException when the key is read-only or does not exist
	 */
	public void delete(String key) {
		checkWritable(key);
		if (!remove(key)) {
			throw new CmapException(Error.NOT_EXIST, "CMAP has no key " + key);
		}
	}

	/** Adds one to an integer key, wrapping within its type ({@code cmap_inc}). */
	public void increment(String key) {
		adjust(key, 1);
	}

	/** Subtracts one from an integer key, wrapping within its type ({@code cmap_dec}). */
	public void decrement(String key) {
		adjust(key, -1);
	}

	/**
	 * Adds {@code step} to an integer key, wrapping within its type ({@code cmap_adjust_int}); a step that
	 * leaves the value as it was is no change, so trackers hear nothing.
	 * @throws CmapException when the key is read-only, does not exist or is not an integer
	 */
	public void adjust(String key, long step) {
		checkWritable(key);
		add(key, step);
	}

	/**
	 * Tracks changes of a key, or of every key under a prefix ({@code cmap_track_add}).
	 * @param key the key, or the prefix when {@code prefix} is set
	 * @param events which changes to report
	 * @param prefix whether {@code key} is a prefix
	 * @param listener told of each change, on the changing thread, after it
	 * @return stops the tracking
	 */
	public AutoCloseable track(String key, Set<Type> events, boolean prefix, Consumer<CmapEvent> listener) {
		Tracker tracker = new Tracker(key, Set.copyOf(events), prefix, listener);
		this.trackers.add(tracker);
		return () -> this.trackers.remove(tracker);
	}

	// ---------------------------------------------------------------------------------------------
	// The node's own changes: read-only keys do not apply

	/** Sets a key for the node itself ({@code icmap_set}), read-only or not. */
	public void put(String key, ValueType type, Object value) {
		checkName(key);
		ConfigEntry entry = new ConfigEntry(key, type, value, ConfigOrigin.DEFAULT);
		checkRange(entry);
		ConfigEntry old;
		synchronized (this.writeLock) {
			old = this.entries.put(key, entry);
		}
		if (old == null) {
			notify(new CmapEvent(Type.ADD, key, entry, null));
		}
		else if (!sameValue(old, entry)) {
			notify(new CmapEvent(Type.MODIFY, key, entry, old));
		}
	}

	public void putNumber(String key, ValueType type, long value) {
		put(key, type, value);
	}

	public void putString(String key, String value) {
		put(key, ValueType.STRING, value);
	}

	/** Removes a key for the node itself; whether it existed. */
	public boolean remove(String key) {
		ConfigEntry old;
		synchronized (this.writeLock) {
			old = this.entries.remove(key);
		}
		if (old == null) {
			return false;
		}
		notify(new CmapEvent(Type.DELETE, key, null, old));
		return true;
	}

	/** Marks a key, or every key under a prefix, read-only for clients ({@code icmap_set_ro_access}). */
	public void setReadOnly(String keyOrPrefix, boolean prefix) {
		if (prefix) {
			this.readOnlyPrefixes.add(keyOrPrefix);
		}
		else {
			this.readOnlyKeys.add(keyOrPrefix);
		}
	}

	/**
	 * Serves every key under {@code prefix} from {@code supplier}, computed when read (Corosync's stats
	 * map). Computed keys are read-only and not tracked.
	 */
	public void registerComputed(String prefix, Supplier<List<ConfigEntry>> supplier) {
		this.computed.put(prefix, supplier);
	}

	/** One line per key, {@code corosync-cmapctl} style. */
	public String dump(String prefix) {
		StringBuilder out = new StringBuilder();
		for (ConfigEntry entry : entries(prefix)) {
			out.append(entry.toCmapLine()).append('\n');
		}
		return out.toString();
	}

	// ---------------------------------------------------------------------------------------------

	private void add(String key, long delta) {
		ConfigEntry old;
		ConfigEntry next;
		synchronized (this.writeLock) {
			old = this.entries.get(key);
			if (old == null) {
				throw new CmapException(Error.NOT_EXIST, "CMAP has no key " + key);
			}
			if (!old.type().isInteger()) {
				throw new CmapException(Error.INVALID_PARAM, key + " is of type " + old.type().cmapName()
						+ "; only integers can be incremented or decremented");
			}
			next = new ConfigEntry(key, old.type(), wrap(old.type(), old.longValue() + delta), ConfigOrigin.DEFAULT);
			if (next.longValue() == old.longValue()) {
				return;
			}
			this.entries.put(key, next);
		}
		notify(new CmapEvent(Type.MODIFY, key, next, old));
	}

	private static long wrap(ValueType type, long value) {
		return switch (type) {
			case INT8 -> (byte) value;
			case UINT8 -> value & 0xFF;
			case INT16 -> (short) value;
			case UINT16 -> value & 0xFFFF;
			case INT32 -> (int) value;
			case UINT32 -> value & 0xFFFF_FFFFL;
			default -> value;
		};
	}

	private void checkWritable(String key) {
		checkName(key);
		if (isReadOnly(key)) {
			throw new CmapException(Error.ACCESS, key + " is read-only");
		}
	}

	private static void checkName(String key) {
		if (key.length() > KEY_MAX_LENGTH) {
			throw new CmapException(Error.NAME_TOO_LONG, "CMAP key names have at most " + KEY_MAX_LENGTH
					+ " characters: " + key.substring(0, 40) + "...");
		}
		if (key.length() < KEY_MIN_LENGTH || !KEY_CHARACTERS.matcher(key).matches()) {
			throw new CmapException(Error.NAME_NOT_FOUND, "invalid CMAP key name '" + key + "': "
					+ KEY_MIN_LENGTH + " to " + KEY_MAX_LENGTH + " characters of A-Z a-z 0-9 . _ / : -");
		}
	}

	private static void checkRange(ConfigEntry entry) {
		ValueType type = entry.type();
		if (!type.isInteger() || type == ValueType.UINT64) {
			return;
		}
		long value = entry.longValue();
		if (value < type.min() || value > type.max()) {
			throw new CmapException(Error.INVALID_PARAM, entry.key() + ": " + value + " is outside the range of "
					+ type.cmapName() + " (" + type.min() + ".." + type.max() + ")");
		}
	}

	private static boolean sameValue(ConfigEntry a, ConfigEntry b) {
		if (a.type() != b.type()) {
			return false;
		}
		if (a.value() instanceof byte[] left && b.value() instanceof byte[] right) {
			return Arrays.equals(left, right);
		}
		return a.value().equals(b.value());
	}

	private @Nullable String computedPrefix(String key) {
		for (String prefix : this.computed.keySet()) {
			if (key.startsWith(prefix)) {
				return prefix;
			}
		}
		return null;
	}

	private void notify(CmapEvent event) {
		for (Tracker tracker : this.trackers) {
			if (tracker.matches(event)) {
				try {
					tracker.listener.accept(event);
				}
				catch (RuntimeException ex) {
					logger.warn("A CMAP tracker of {} failed", tracker.key, ex);
				}
			}
		}
	}

	private record Tracker(String key, Set<Type> events, boolean prefix, Consumer<CmapEvent> listener) {

		boolean matches(CmapEvent event) {
			return this.events.contains(event.type())
					&& (this.prefix ? event.key().startsWith(this.key) : event.key().equals(this.key));
		}

	}

}
