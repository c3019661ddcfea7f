package io.corosync4j.engine.ipc.cmap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.service.cmap.CmapEvent;
import io.corosync4j.engine.service.cmap.CmapException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static io.corosync4j.engine.ipc.cmap.CmapCodec.*;

/**
 * One {@code libcmap} connection, answering as {@code exec/cmap.c} does on {@code icmap} (the default
 * map) or on the {@code stats} map once the client switched to it. The Java node keeps its statistics
 * in the one {@link Cmap}, as keys under {@code stats.} computed on read; the default map here is every
 * other key, the stats map exactly those.
 * <p>
 * A request that has to read computed values is answered from the reader executor; requests that come
 * meanwhile wait in order, so answers keep the order of requests.
 */
final class CmapSession implements IpcSession {

	private static final Logger logger = LoggerFactory.getLogger(CmapSession.class);

	/** {@code ICMAP_MAX_VALUE_LEN}. */
	static final int MAX_VALUE_LENGTH = 16 * 1024;

	/** How often the daemon looks whether a tracked statistic changed ({@code corosync_totem_stats_updater}). */
	static final long STATS_POLL_MILLIS = 1500;

	private static final String STATS = "stats.";

	/** The only stats keys a client may set: asking to clear statistics. */
	private static final String STATS_CLEAR = "stats.clear.";

	/** The smallest request of each id, {@code sizeof(struct req_lib_cmap_*)}. */
	private static final int[] REQUEST_SIZES = { SET_SIZE, DELETE_SIZE, GET_SIZE, ADJUST_SIZE, ITER_INIT_SIZE,
			HANDLE_REQUEST_SIZE, HANDLE_REQUEST_SIZE, TRACK_ADD_SIZE, HANDLE_REQUEST_SIZE, SET_CURRENT_MAP_SIZE };

	private static final byte[] NO_VALUE = new byte[0];

	private final Cmap cmap;

	private final Executor reads;

	private final IpcConnection connection;

	private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

	private final HandleTable<Iteration> iterations = new HandleTable<>();

	private final HandleTable<Track> tracks = new HandleTable<>();

	private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();

	/** Whether the client switched to the stats map. */
	private boolean stats;

	/** A request's answer is being read elsewhere; later requests queue. */
	private boolean reading;

	/** A look at the tracked statistics is scheduled. */
	private boolean polling;

	private volatile boolean closed;

	/** The client's event queue overflowed: it is being disconnected, nothing more is sent to it. */
	private volatile boolean deaf;

	CmapSession(Cmap cmap, Executor reads, IpcConnection connection) {
		this.cmap = cmap;
		this.reads = reads;
		this.connection = connection;
	}

	@Override
	public void request(int id, ByteBuf message) {
		if (this.closed) {
			return;
		}
		if (this.reading) {
			this.queued.add(message.copy());
			return;
		}
		serve(id, message);
	}

	@Override
	public void closed() {
		this.closed = true;
		for (ByteBuf waiting : this.queued) {
			waiting.release();
		}
		this.queued.clear();
		for (Track track : this.tracks.clear()) {
			track.stop();
		}
		this.iterations.clear();
	}

	// ---------------------------------------------------------------------------------------------

	private void serve(int id, ByteBuf message) {
		if (id < 0 || id >= REQUEST_SIZES.length || message.readableBytes() < REQUEST_SIZES[id]
				|| (id == SET && Long.compareUnsigned(u64(message, SET_VALUE_LENGTH), message.readableBytes() - SET_SIZE) > 0)) {
			// as cs_ipcs_msg_process answers a message it cannot take
			this.connection.respond(IpcMessages.header(this.alloc, 0, CsError.INVALID_PARAM));
			return;
		}
		ByteBuf answer;
		try {
			answer = switch (id) {
				case SET -> IpcMessages.header(this.alloc, SET, set(message));
				case DELETE -> IpcMessages.header(this.alloc, DELETE, delete(message));
				case GET -> get(message);
				case ADJUST_INT -> IpcMessages.header(this.alloc, ADJUST_INT, adjust(message));
				case ITER_INIT -> iterInit(message);
				case ITER_NEXT -> iterNext(message);
				case ITER_FINALIZE -> IpcMessages.header(this.alloc, ITER_FINALIZE,
						(this.iterations.remove(u64(message, REQUEST_HANDLE)) != null) ? CsError.OK : CsError.BAD_HANDLE);
				case TRACK_ADD -> trackAdd(message);
				case TRACK_DELETE -> trackDelete(message);
				default -> IpcMessages.header(this.alloc, SET_CURRENT_MAP_ANSWER, setCurrentMap(message));
			};
		}
		catch (RuntimeException ex) {
			logger.warn("CMAP request {} of pid {} failed", id, this.connection.pid(), ex);
			answer = IpcMessages.header(this.alloc, (id == SET_CURRENT_MAP) ? SET_CURRENT_MAP_ANSWER : id,
					CsError.LIBRARY);
		}
		if (answer != null) {
			this.connection.respond(answer);
		}
	}

	/** {@code cmap_set}: the checks in the daemon's order, read-only first, the name last. */
	private CsError set(ByteBuf request) {
		String key = name(request, REQUEST_NAME);
		if (this.stats) {
			return statsChange(key);
		}
		if (this.cmap.isReadOnly(key)) {
			return CsError.ACCESS;
		}
		int length = (int) u64(request, SET_VALUE_LENGTH);
		ValueType type = type(u8(request, SET_TYPE));
		int at = request.readerIndex() + SET_SIZE;
		if (length > MAX_VALUE_LENGTH) {
			return CsError.INVALID_PARAM;
		}
		if (type == null) {
			// icmap takes an unknown type with an empty value; the Java map has no place for one
			return (length == 0) ? CsError.NOT_SUPPORTED : CsError.INVALID_PARAM;
		}
		if (!lengthFits(type, request, at, length)) {
			return CsError.INVALID_PARAM;
		}
		try {
			this.cmap.set(key, type, value(type, request, at, length));
			return CsError.OK;
		}
		catch (CmapException ex) {
			return error(ex, CsError.NAME_TOO_LONG);
		}
	}

	private CsError delete(ByteBuf request) {
		return change(name(request, REQUEST_NAME), this.cmap::delete);
	}

	private CsError adjust(ByteBuf request) {
		int step = i32(request, ADJUST_STEP);
		return change(name(request, REQUEST_NAME), (key) -> this.cmap.adjust(key, step));
	}

	/** A delete or an adjustment: the daemon's checks, in its order, then the change. */
	private CsError change(String key, Consumer<String> change) {
		if (this.stats) {
			return statsChange(key);
		}
		if (isStatistic(key)) {
			return CsError.NOT_EXIST;
		}
		if (this.cmap.isReadOnly(key)) {
			return CsError.ACCESS;
		}
		try {
			change.accept(key);
			return CsError.OK;
		}
		catch (CmapException ex) {
			return error(ex, CsError.NOT_EXIST);
		}
	}

	/** {@code stats_map_set}, {@code _delete}, {@code _adjust_int}: only {@code stats.clear.*} is writable. */
	private static CsError statsChange(String key) {
		// clearing statistics would be allowed, but the Java node's counters cannot be reset
		return key.startsWith(STATS_CLEAR) ? CsError.NOT_SUPPORTED : CsError.ACCESS;
	}

	/** The client's error for a refusal of the map; an invalid name is {@code nameError} as the daemon sees it. */
	private static CsError error(CmapException refusal, CsError nameError) {
		return switch (refusal.error()) {
			case NOT_EXIST -> CsError.NOT_EXIST;
			case ACCESS -> CsError.ACCESS;
			case INVALID_PARAM -> CsError.INVALID_PARAM;
			case NAME_TOO_LONG, NAME_NOT_FOUND -> nameError;
		};
	}

	private @Nullable ByteBuf get(ByteBuf request) {
		String key = name(request, REQUEST_NAME);
		long room = u64(request, GET_VALUE_LENGTH);
		if (isStatistic(key) != this.stats) {
			return getRefused(this.alloc, CsError.NOT_EXIST);
		}
		if (room < 0 || room > IpcSettings.DEFAULT_MAX_MESSAGE_SIZE - GET_ANSWER_SIZE) {
			// the daemon's malloc of the answer would do, but no client could take it
			return getRefused(this.alloc, CsError.NO_MEMORY);
		}
		if (this.cmap.isComputed(key)) {
			readLater(() -> this.cmap.get(key), (entry) -> getAnswer(entry, room),
					() -> getRefused(this.alloc, CsError.LIBRARY));
			return null;
		}
		return getAnswer(this.cmap.get(key), room);
	}

	/** {@code icmap_get}: without room only the length and type, with room short of the value a refusal. */
	private ByteBuf getAnswer(Optional<ConfigEntry> found, long room) {
		if (found.isEmpty()) {
			return getRefused(this.alloc, CsError.NOT_EXIST);
		}
		ConfigEntry entry = found.get();
		byte[] value = valueBytes(entry);
		if (room == 0) {
			return CmapCodec.get(this.alloc, 0, entry.type(), value.length, null);
		}
		if (room < value.length) {
			return getRefused(this.alloc, CsError.INVALID_PARAM);
		}
		return CmapCodec.get(this.alloc, room, entry.type(), value.length, value);
	}

	private @Nullable ByteBuf iterInit(ByteBuf request) {
		String prefix = hasName(request, REQUEST_NAME) ? name(request, REQUEST_NAME) : "";
		boolean statistics = this.stats;
		readLater(() -> this.cmap.entries(prefix).stream().filter((entry) -> isStatistic(entry.key()) == statistics).toList(),
				(entries) -> handle(this.alloc, ITER_INIT, CsError.OK, this.iterations.add(new Iteration(entries))),
				() -> handle(this.alloc, ITER_INIT, CsError.LIBRARY, 0));
		return null;
	}

	/**
	 * The next key of an iteration. Stored keys are looked up again, so one deleted since the iteration
	 * began is skipped and one changed is reported as it is now, as the daemon's live iterator does;
	 * computed ones are reported as they were read when it began.
	 */
	private ByteBuf iterNext(ByteBuf request) {
		Iteration iteration = this.iterations.get(u64(request, REQUEST_HANDLE));
		if (iteration == null) {
			return CmapCodec.iterNext(this.alloc, CsError.BAD_HANDLE, null, 0, null);
		}
		while (iteration.next < iteration.entries.size()) {
			ConfigEntry entry = iteration.entries.get(iteration.next++);
			if (!this.cmap.isComputed(entry.key())) {
				Optional<ConfigEntry> now = this.cmap.get(entry.key());
				if (now.isEmpty()) {
					continue;
				}
				entry = now.get();
			}
			return CmapCodec.iterNext(this.alloc, CsError.OK, entry.key(), valueBytes(entry).length, entry.type());
		}
		return CmapCodec.iterNext(this.alloc, CsError.NO_SECTIONS, null, 0, null);
	}

	private @Nullable ByteBuf trackAdd(ByteBuf request) {
		int flags = i32(request, TRACK_TYPE);
		long instance = u64(request, TRACK_INSTANCE);
		@Nullable String key = hasName(request, REQUEST_NAME) ? name(request, REQUEST_NAME) : null;
		boolean prefix = (flags & TRACK_PREFIX_FLAG) != 0;
		if (this.stats) {
			// stats_map_track_add: a prefix can only be tracked for keys coming and going
			if (prefix && ((flags & TRACK_ADD_FLAG) == 0 || (flags & TRACK_DELETE_FLAG) == 0)) {
				return handle(this.alloc, TRACK_ADD, CsError.NOT_SUPPORTED, 0);
			}
			Track track = new Track(instance, key, (key != null && !prefix));
			if (!track.polled) {
				return handle(this.alloc, TRACK_ADD, CsError.OK, this.tracks.add(track));
			}
			readLater(() -> readStatistic(track.key),
					(value) -> {
						track.last = value.map(CmapSession::statisticBytes).orElse(new byte[Long.BYTES]);
						long handle = this.tracks.add(track);
						schedulePoll();
						return handle(this.alloc, TRACK_ADD, CsError.OK, handle);
					}, () -> handle(this.alloc, TRACK_ADD, CsError.LIBRARY, 0));
			return null;
		}
		if ((flags & ~(TRACK_ADD_FLAG | TRACK_DELETE_FLAG | TRACK_MODIFY_FLAG | TRACK_PREFIX_FLAG)) != 0) {
			return handle(this.alloc, TRACK_ADD, CsError.INVALID_PARAM, 0);
		}
		Track track = new Track(instance, key, false);
		Set<CmapEvent.Type> events = EnumSet.noneOf(CmapEvent.Type.class);
		if ((flags & TRACK_ADD_FLAG) != 0) {
			events.add(CmapEvent.Type.ADD);
		}
		if ((flags & TRACK_DELETE_FLAG) != 0) {
			events.add(CmapEvent.Type.DELETE);
		}
		if ((flags & TRACK_MODIFY_FLAG) != 0) {
			events.add(CmapEvent.Type.MODIFY);
		}
		// without a name nothing matches but a prefix, and the empty prefix matches every key, as icmap's root
		track.registration = this.cmap.track((key != null) ? key : "", events, prefix, track::changed);
		return handle(this.alloc, TRACK_ADD, CsError.OK, this.tracks.add(track));
	}

	private ByteBuf trackDelete(ByteBuf request) {
		Track track = this.tracks.remove(u64(request, REQUEST_HANDLE));
		if (track == null) {
			return handle(this.alloc, TRACK_DELETE, CsError.BAD_HANDLE, 0);
		}
		track.stop();
		return handle(this.alloc, TRACK_DELETE, CsError.OK, track.instance);
	}

	private CsError setCurrentMap(ByteBuf request) {
		if (!this.iterations.isEmpty() || !this.tracks.isEmpty()) {
			return CsError.BUSY;
		}
		switch (i32(request, MAP)) {
			case MAP_DEFAULT -> this.stats = false;
			case MAP_STATS -> this.stats = true;
			default -> {
				return CsError.NOT_EXIST;
			}
		}
		return CsError.OK;
	}

	/** Whether a key is one of the stats map's: a computed {@code stats.*} key. */
	private boolean isStatistic(String key) {
		return key.startsWith(STATS) && this.cmap.isComputed(key);
	}

	private Optional<ConfigEntry> readStatistic(@Nullable String key) {
		return (key != null && isStatistic(key)) ? this.cmap.get(key) : Optional.empty();
	}

	/** A statistic's bytes in the daemon's 8-byte buffer, zero-padded. */
	private static byte[] statisticBytes(ConfigEntry entry) {
		return Arrays.copyOf(valueBytes(entry), Long.BYTES);
	}

	// ---------------------------------------------------------------------------------------------
	// Answers read elsewhere

	/**
	 * Reads on the reader executor, answers on the connection's loop; until then later requests queue. If the
	 * client went meanwhile nothing is answered.
	 */
	private <T> void readLater(Supplier<T> read, Function<T, ByteBuf> answer, Supplier<ByteBuf> failed) {
		this.reading = true;
		CompletableFuture.supplyAsync(read, this.reads).whenCompleteAsync((value, failure) -> {
			if (!this.closed) {
				ByteBuf reply;
				try {
					if (failure != null) {
						throw (failure instanceof RuntimeException unchecked) ? unchecked : new CompletionException(failure);
					}
					reply = answer.apply(value);
				}
				catch (RuntimeException ex) {
					logger.warn("CMAP read for pid {} failed", this.connection.pid(), ex);
					reply = failed.get();
				}
				this.connection.respond(reply);
			}
			this.reading = false;
			serveQueued();
		}, this.connection.loop());
	}

	private void serveQueued() {
		while (!this.reading && !this.closed && !this.queued.isEmpty()) {
			ByteBuf next = this.queued.poll();
			try {
				serve(IpcMessages.requestId(next), next);
			}
			finally {
				next.release();
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Tracked statistics: looked at every 1.5 s, a change is a MODIFY with the new value as new and old

	private void schedulePoll() {
		List<Track> polled = new ArrayList<>();
		for (Track track : this.tracks.values()) {
			if (track.polled) {
				polled.add(track);
			}
		}
		if (this.polling || this.closed || polled.isEmpty()) {
			return;
		}
		this.polling = true;
		CompletableFuture.delayedExecutor(STATS_POLL_MILLIS, TimeUnit.MILLISECONDS, this.reads).execute(() -> {
			Map<Track, Optional<ConfigEntry>> values = new LinkedHashMap<>();
			try {
				for (Track track : polled) {
					values.put(track, readStatistic(track.key));
				}
			}
			catch (RuntimeException ex) {
				// the node's loop did not answer (or is gone): no change seen this time
				logger.debug("Reading tracked statistics for pid {} failed: {}", this.connection.pid(), ex.toString());
			}
			try {
				this.connection.loop().execute(() -> {
					this.polling = false;
					if (!this.closed) {
						values.forEach(this::compare);
						schedulePoll();
					}
				});
			}
			catch (RejectedExecutionException ex) {
				logger.debug("The connection's loop is gone; CMAP stops looking at statistics for pid {}", this.connection.pid());
			}
		});
	}

	private void compare(Track track, Optional<ConfigEntry> value) {
		if (value.isEmpty() || !track.active) {
			return;
		}
		ConfigEntry entry = value.get();
		byte[] now = statisticBytes(entry);
		int length = fixedLength(entry.type());
		if (Arrays.equals(now, 0, length, track.last, 0, length)) {
			return;
		}
		track.last = now;
		byte[] bytes = Arrays.copyOf(now, length);
		track.send(CmapCodec.notify(this.alloc, track.instance, entry.key(), TRACK_MODIFY_FLAG, entry.type(), bytes,
				entry.type(), bytes));
	}

	// ---------------------------------------------------------------------------------------------

	/** An iteration: the keys under its prefix when it began, in name order. */
	private static final class Iteration {

		final List<ConfigEntry> entries;

		int next;

		Iteration(List<ConfigEntry> entries) {
			this.entries = entries;
		}

	}

	/**
	 * One track: of the default map, a registration with the map whose changes go to the client from
	 * whichever thread made them; of the stats map, a key looked at now and then ({@code polled}) or
	 * nothing (keys of the Java node's stats never come and go as knet's and IPC's do in the daemon).
	 */
	private final class Track {

		final long instance;

		final @Nullable String key;

		final boolean polled;

		@Nullable AutoCloseable registration;

		/** A polled statistic's last value, 8 bytes. */
		byte[] last = new byte[Long.BYTES];

		volatile boolean active = true;

		Track(long instance, @Nullable String key, boolean polled) {
			this.instance = instance;
			this.key = key;
			this.polled = polled;
		}

		/** icmap's notification: the new value then the old, a missing one of type 0 and length 0. */
		void changed(CmapEvent event) {
			if (!this.active) {
				return;
			}
			ConfigEntry now = event.newValue();
			ConfigEntry before = event.oldValue();
			int code = switch (event.type()) {
				case ADD -> TRACK_ADD_FLAG;
				case DELETE -> TRACK_DELETE_FLAG;
				case MODIFY -> TRACK_MODIFY_FLAG;
			};
			send(CmapCodec.notify(CmapSession.this.alloc, this.instance, event.key(), code,
					(now != null) ? now.type() : null, (now != null) ? valueBytes(now) : NO_VALUE,
					(before != null) ? before.type() : null, (before != null) ? valueBytes(before) : NO_VALUE));
		}

		void send(ByteBuf event) {
			if (CmapSession.this.deaf || CmapSession.this.closed) {
				event.release();
				return;
			}
			if (!CmapSession.this.connection.event(event)) {
				CmapSession.this.deaf = true;
			}
		}

		void stop() {
			this.active = false;
			AutoCloseable current = this.registration;
			if (current != null) {
				try {
					current.close();
				}
				catch (Exception ex) {
					logger.warn("Stopping a CMAP track of pid {} failed", CmapSession.this.connection.pid(), ex);
				}
			}
		}

	}

}
