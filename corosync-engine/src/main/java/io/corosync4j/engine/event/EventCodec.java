package io.corosync4j.engine.event;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.corosync4j.engine.event.EventOperation.Barrier;
import io.corosync4j.engine.event.EventOperation.ClearRetention;
import io.corosync4j.engine.event.EventOperation.Close;
import io.corosync4j.engine.event.EventOperation.Expire;
import io.corosync4j.engine.event.EventOperation.Open;
import io.corosync4j.engine.event.EventOperation.Publish;
import io.corosync4j.engine.event.EventOperation.Subscribe;
import io.corosync4j.engine.event.EventOperation.Unlink;
import io.corosync4j.engine.event.EventOperation.Unsubscribe;
import io.corosync4j.engine.event.EventState.Channel;
import io.corosync4j.engine.event.EventState.Opener;
import io.corosync4j.engine.event.EventState.Retained;
import io.corosync4j.engine.event.EventState.Subscription;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.Utf8Names;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link EventOperation}s and the state's snapshot: a version byte, a type byte, the
 * request number, then the fields big-endian; names are UTF-8 behind a 16-bit length, patterns behind a
 * 16-bit one, data behind a 32-bit one. Only corosync4j members read these, so the format is ours.
 * Decoding is strict: anything out of range, left over or cut short makes it {@code null}, and every
 * member drops the same bytes the same way.
 */
final class EventCodec {

	static final int VERSION = 1;

	static final int SNAPSHOT_VERSION = 1;

	private static final int OPEN = 1;

	private static final int CLOSE = 2;

	private static final int UNLINK = 3;

	private static final int PUBLISH = 4;

	private static final int SUBSCRIBE = 5;

	private static final int UNSUBSCRIBE = 6;

	private static final int CLEAR_RETENTION = 7;

	private static final int EXPIRE = 8;

	private static final int BARRIER = 9;

	/** Bytes before an operation's fields: version, type, request. */
	static final int HEADER = 10;

	/** The most a retained event's data buffer starts with before its bytes have been read. */
	private static final int PIECE = 64 * 1024;

	private EventCodec() {
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	static byte[] encode(EventOperation operation) {
		int size = 64;
		if (operation instanceof Publish publish) {
			size += publish.data().length + 4 * publish.patterns().size();
			for (byte[] pattern : publish.patterns()) {
				size += pattern.length;
			}
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(size);
		DataOutputStream out = new DataOutputStream(bytes);
		try {
			out.writeByte(VERSION);
			out.writeByte(type(operation));
			out.writeLong(operation.request());
			if (operation instanceof Open open) {
				out.writeLong(open.handle());
				writeName(out, open.name());
				out.writeByte(open.flags());
			}
			else if (operation instanceof Close close) {
				out.writeLong(close.channel());
				out.writeLong(close.handle());
			}
			else if (operation instanceof Unlink unlink) {
				writeName(out, unlink.name());
			}
			else if (operation instanceof Publish publish) {
				out.writeLong(publish.channel());
				out.writeLong(publish.handle());
				writePatterns(out, publish.patterns());
				out.writeByte(publish.priority());
				out.writeLong(publish.retentionMillis());
				writeText(out, publish.publisher());
				out.writeLong(publish.publishedAt());
				writeData(out, publish.data());
			}
			else if (operation instanceof Subscribe subscribe) {
				out.writeLong(subscribe.channel());
				out.writeLong(subscribe.handle());
				out.writeLong(subscribe.subscription());
				writeFilters(out, subscribe.filters());
			}
			else if (operation instanceof Unsubscribe unsubscribe) {
				out.writeLong(unsubscribe.channel());
				out.writeLong(unsubscribe.handle());
				out.writeLong(unsubscribe.subscription());
			}
			else if (operation instanceof ClearRetention clear) {
				out.writeLong(clear.channel());
				out.writeLong(clear.handle());
				out.writeLong(clear.event());
			}
			else if (operation instanceof Expire expire) {
				out.writeLong(expire.now());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** The request number of an encoded operation without reading the rest, or -1 if there is none. */
	static long request(byte[] operation) {
		if (operation.length < HEADER || operation[0] != VERSION) {
			return -1;
		}
		return ByteBuffer.wrap(operation, 2, 8).getLong();
	}

	/** The operation, or {@code null} if it is not one this version reads. */
	static @Nullable EventOperation decode(byte[] bytes) {
		try {
			ByteBuffer in = ByteBuffer.wrap(bytes);
			if (in.get() != VERSION) {
				return null;
			}
			int type = in.get();
			long request = in.getLong();
			EventOperation operation = switch (type) {
				case OPEN -> {
					long handle = in.getLong();
					String name = readName(in);
					int flags = in.get();
					yield (name == null || (flags & ~ChannelFlag.ALL) != 0) ? null : new Open(request, handle, name, flags);
				}
				case CLOSE -> new Close(request, in.getLong(), in.getLong());
				case UNLINK -> {
					String name = readName(in);
					yield (name == null) ? null : new Unlink(request, name);
				}
				case PUBLISH -> {
					long channel = in.getLong();
					long handle = in.getLong();
					List<byte[]> patterns = readPatterns(in);
					int priority = in.get();
					long retention = in.getLong();
					String publisher = readText(in);
					long publishedAt = in.getLong();
					byte[] data = readData(in);
					yield (patterns == null || publisher == null || data == null || priority < EventPublication.HIGHEST
							|| priority > EventPublication.LOWEST || retention < 0) ? null
									: new Publish(request, channel, handle, patterns, priority, retention, publisher,
											publishedAt, data);
				}
				case SUBSCRIBE -> {
					long channel = in.getLong();
					long handle = in.getLong();
					long subscription = in.getLong();
					List<EventFilter> filters = readFilters(in);
					yield (filters == null) ? null : new Subscribe(request, channel, handle, subscription, filters);
				}
				case UNSUBSCRIBE -> new Unsubscribe(request, in.getLong(), in.getLong(), in.getLong());
				case CLEAR_RETENTION -> new ClearRetention(request, in.getLong(), in.getLong(), in.getLong());
				case EXPIRE -> new Expire(request, in.getLong());
				case BARRIER -> new Barrier(request);
				default -> null;
			};
			return (operation == null || in.hasRemaining()) ? null : operation;
		}
		catch (BufferUnderflowException truncated) {
			return null;
		}
	}

	private static int type(EventOperation operation) {
		if (operation instanceof Open) {
			return OPEN;
		}
		if (operation instanceof Close) {
			return CLOSE;
		}
		if (operation instanceof Unlink) {
			return UNLINK;
		}
		if (operation instanceof Publish) {
			return PUBLISH;
		}
		if (operation instanceof Subscribe) {
			return SUBSCRIBE;
		}
		if (operation instanceof Unsubscribe) {
			return UNSUBSCRIBE;
		}
		if (operation instanceof ClearRetention) {
			return CLEAR_RETENTION;
		}
		if (operation instanceof Expire) {
			return EXPIRE;
		}
		return BARRIER;
	}

	// ---------------------------------------------------------------------------------------------
	// Names, patterns, filters, data

	/** Whether {@code name} is a channel name: 1 to {@value EventService#MAX_NAME_BYTES} bytes of UTF-8. */
	static boolean validName(String name) {
		return Utf8Names.valid(name, EventService.MAX_NAME_BYTES);
	}

	private static void writeName(DataOutput out, String name) throws IOException {
		Utf8Names.write(out, name, 1, EventService.MAX_NAME_BYTES, "channel name");
	}

	private static @Nullable String readName(ByteBuffer in) {
		return Utf8Names.read(in, 1, EventService.MAX_NAME_BYTES);
	}

	/** A publisher's name: 0 to {@value EventService#MAX_NAME_BYTES} bytes of UTF-8. */
	private static void writeText(DataOutput out, String text) throws IOException {
		Utf8Names.write(out, text, 0, EventService.MAX_NAME_BYTES, "publisher name");
	}

	private static @Nullable String readText(ByteBuffer in) {
		return Utf8Names.read(in, 0, EventService.MAX_NAME_BYTES);
	}

	private static void writePatterns(DataOutput out, List<byte[]> patterns) throws IOException {
		if (patterns.size() > EventService.MAX_PATTERNS) {
			throw new IllegalArgumentException(patterns.size() + " patterns");
		}
		out.writeShort(patterns.size());
		for (byte[] pattern : patterns) {
			writePattern(out, pattern);
		}
	}

	private static void writePattern(DataOutput out, byte[] pattern) throws IOException {
		if (pattern.length > EventService.MAX_PATTERN_BYTES) {
			throw new IllegalArgumentException("a pattern of " + pattern.length + " bytes");
		}
		out.writeShort(pattern.length);
		out.write(pattern);
	}

	private static @Nullable List<byte[]> readPatterns(ByteBuffer in) {
		int count = Short.toUnsignedInt(in.getShort());
		if (count > EventService.MAX_PATTERNS) {
			return null;
		}
		List<byte[]> patterns = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			byte[] pattern = readPattern(in);
			if (pattern == null) {
				return null;
			}
			patterns.add(pattern);
		}
		return List.copyOf(patterns);
	}

	private static byte @Nullable [] readPattern(ByteBuffer in) {
		int length = Short.toUnsignedInt(in.getShort());
		if (length > EventService.MAX_PATTERN_BYTES) {
			return null;
		}
		byte[] pattern = new byte[length];
		in.get(pattern);
		return pattern;
	}

	private static void writeFilters(DataOutput out, List<EventFilter> filters) throws IOException {
		if (filters.size() > EventService.MAX_PATTERNS) {
			throw new IllegalArgumentException(filters.size() + " filters");
		}
		out.writeShort(filters.size());
		for (EventFilter filter : filters) {
			out.writeByte(filter.type().ordinal());
			writePattern(out, filter.pattern());
		}
	}

	private static @Nullable List<EventFilter> readFilters(ByteBuffer in) {
		int count = Short.toUnsignedInt(in.getShort());
		if (count > EventService.MAX_PATTERNS) {
			return null;
		}
		EventFilter.Type[] types = EventFilter.Type.values();
		List<EventFilter> filters = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int type = in.get();
			byte[] pattern = readPattern(in);
			if (type < 0 || type >= types.length || pattern == null) {
				return null;
			}
			filters.add(new EventFilter(types[type], pattern));
		}
		return List.copyOf(filters);
	}

	private static void writeData(DataOutput out, byte[] data) throws IOException {
		out.writeInt(data.length);
		out.write(data);
	}

	private static byte @Nullable [] readData(ByteBuffer in) {
		int length = in.getInt();
		if (length < 0 || length > in.remaining()) {
			return null;
		}
		byte[] data = new byte[length];
		in.get(data);
		return data;
	}

	// ---------------------------------------------------------------------------------------------
	// The snapshot

	/** What a snapshot holds besides the channels' own fields. */
	record Snapshot(long nextChannel, long nextEvent, List<Channel> channels) {
	}

	static void writeSnapshot(DataOutput out, Snapshot snapshot) throws IOException {
		out.writeByte(SNAPSHOT_VERSION);
		out.writeLong(snapshot.nextChannel());
		out.writeLong(snapshot.nextEvent());
		out.writeInt(snapshot.channels().size());
		for (Channel channel : snapshot.channels()) {
			out.writeLong(channel.id);
			out.writeBoolean(!channel.unlinked);
			writeName(out, channel.name);
			out.writeInt(channel.openers.size());
			for (var opener : channel.openers.entrySet()) {
				writeMember(out, opener.getKey().member());
				out.writeLong(opener.getKey().handle());
				out.writeByte(opener.getValue());
			}
			out.writeInt(channel.subscriptions.size());
			for (var subscription : channel.subscriptions.entrySet()) {
				writeMember(out, subscription.getKey().opener().member());
				out.writeLong(subscription.getKey().opener().handle());
				out.writeLong(subscription.getKey().id());
				writeFilters(out, subscription.getValue());
			}
			out.writeInt(channel.retained.size());
			for (Retained retained : channel.retained.values()) {
				Event event = retained.event;
				out.writeLong(event.id());
				out.writeLong(retained.end);
				writePatterns(out, event.patterns());
				out.writeByte(event.priority());
				out.writeLong(event.retention().toMillis());
				writeText(out, event.publisher());
				out.writeLong(event.publisherNode());
				out.writeLong(event.published().toEpochMilli());
				writeData(out, event.data());
			}
		}
	}

	private static void writeMember(DataOutput out, Member member) throws IOException {
		out.writeLong(member.nodeid());
		out.writeLong(member.pid());
	}

	/**
	 * Reads a snapshot, checking what a state holds to (limits, unique names, ids in order and below the
	 * next ones; openers, subscriptions and retained events in the order they are written) before any
	 * large array is allocated: whatever it accepts writes back to the same bytes.
	 * @return the snapshot, or {@code null} if it breaks a rule
	 * @throws IOException if it cannot be read (cut short)
	 */
	static @Nullable Snapshot readSnapshot(DataInput in) throws IOException {
		if (in.readByte() != SNAPSHOT_VERSION) {
			return null;
		}
		long nextChannel = in.readLong();
		long nextEvent = in.readLong();
		int count = in.readInt();
		if (count < 0 || count > EventService.MAX_CHANNELS || nextChannel < 1 || nextEvent < 1) {
			return null;
		}
		List<Channel> channels = new ArrayList<>(count);
		Set<String> names = new HashSet<>();
		Set<Long> events = new HashSet<>();
		long lastId = 0;
		long openers = 0;
		long subscriptions = 0;
		long retainedEvents = 0;
		long retainedBytes = 0;
		for (int i = 0; i < count; i++) {
			long id = in.readLong();
			int linkedByte = in.readUnsignedByte();
			boolean linked = linkedByte == 1;
			String name = readText(in);
			if (id <= lastId || id >= nextChannel || linkedByte > 1 || name == null || name.isEmpty()
					|| (linked && !names.add(name))) {
				return null;
			}
			lastId = id;
			Channel channel = new Channel(id, name);
			channel.unlinked = !linked;
			int openerCount = in.readInt();
			openers += openerCount;
			if (openerCount < 0 || openers > EventService.MAX_OPENERS || (channel.unlinked && openerCount == 0)) {
				return null;
			}
			for (int o = 0; o < openerCount; o++) {
				Opener opener = new Opener(readMember(in), in.readLong());
				int flags = in.readByte();
				// in the order they are written, each once
				if ((flags & ~ChannelFlag.ALL) != 0
						|| (!channel.openers.isEmpty() && channel.openers.lastKey().compareTo(opener) >= 0)) {
					return null;
				}
				channel.openers.put(opener, flags);
			}
			int subscriptionCount = in.readInt();
			subscriptions += subscriptionCount;
			if (subscriptionCount < 0 || subscriptions > EventService.MAX_SUBSCRIPTIONS) {
				return null;
			}
			for (int s = 0; s < subscriptionCount; s++) {
				Opener opener = new Opener(readMember(in), in.readLong());
				Subscription subscription = new Subscription(opener, in.readLong());
				List<EventFilter> filters = readFilters(in);
				if (filters == null || !channel.openers.containsKey(opener) || (!channel.subscriptions.isEmpty()
						&& channel.subscriptions.lastKey().compareTo(subscription) >= 0)) {
					return null;
				}
				channel.subscriptions.put(subscription, filters);
			}
			int retainedCount = in.readInt();
			retainedEvents += retainedCount;
			if (retainedCount < 0 || retainedEvents > EventService.MAX_RETAINED_EVENTS) {
				return null;
			}
			for (int r = 0; r < retainedCount; r++) {
				long event = in.readLong();
				long end = in.readLong();
				List<byte[]> patterns = readPatterns(in);
				int priority = in.readByte();
				long retention = in.readLong();
				String publisher = readText(in);
				long node = in.readLong();
				long published = in.readLong();
				int size = in.readInt();
				if (event < 1 || event >= nextEvent || !events.add(event) || patterns == null || publisher == null
						|| (!channel.retained.isEmpty() && channel.retained.lastKey() >= event)
						|| priority < EventPublication.HIGHEST || priority > EventPublication.LOWEST || retention <= 0
						|| size < 0 || retainedBytes + size > EventService.MAX_RETAINED_BYTES) {
					return null;
				}
				byte[] data = readBytes(in, size);
				Retained retained = new Retained(new Event(event, name, patterns, priority, Duration.ofMillis(retention),
						publisher, node, Instant.ofEpochMilli(published), data), end);
				retainedBytes += retained.bytes();
				if (retainedBytes > EventService.MAX_RETAINED_BYTES) {
					return null;
				}
				channel.retained.put(event, retained);
			}
			channels.add(channel);
		}
		return new Snapshot(nextChannel, nextEvent, List.copyOf(channels));
	}

	/**
	 * {@code length} bytes, read in pieces: a length that promises more than follows fails at the end of
	 * the input, having allocated about what was there, not what it promised.
	 */
	private static byte[] readBytes(DataInput in, int length) throws IOException {
		byte[] bytes = new byte[Math.min(length, PIECE)];
		in.readFully(bytes);
		while (bytes.length < length) {
			int read = bytes.length;
			bytes = Arrays.copyOf(bytes, (int) Math.min(length, 2L * read));
			in.readFully(bytes, read, bytes.length - read);
		}
		return bytes;
	}

	private static Member readMember(DataInput in) throws IOException {
		return new Member(in.readLong(), in.readLong());
	}

	private static @Nullable String readText(DataInput in) throws IOException {
		int length = in.readUnsignedShort();
		if (length > EventService.MAX_NAME_BYTES) {
			return null;
		}
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		return Utf8Names.decode(bytes);
	}

	private static @Nullable List<byte[]> readPatterns(DataInput in) throws IOException {
		int count = in.readUnsignedShort();
		if (count > EventService.MAX_PATTERNS) {
			return null;
		}
		List<byte[]> patterns = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int length = in.readUnsignedShort();
			if (length > EventService.MAX_PATTERN_BYTES) {
				return null;
			}
			byte[] pattern = new byte[length];
			in.readFully(pattern);
			patterns.add(pattern);
		}
		return List.copyOf(patterns);
	}

	private static @Nullable List<EventFilter> readFilters(DataInput in) throws IOException {
		int count = in.readUnsignedShort();
		if (count > EventService.MAX_PATTERNS) {
			return null;
		}
		EventFilter.Type[] types = EventFilter.Type.values();
		List<EventFilter> filters = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int type = in.readByte();
			int length = in.readUnsignedShort();
			if (type < 0 || type >= types.length || length > EventService.MAX_PATTERN_BYTES) {
				return null;
			}
			byte[] pattern = new byte[length];
			in.readFully(pattern);
			filters.add(new EventFilter(types[type], pattern));
		}
		return List.copyOf(filters);
	}

}
