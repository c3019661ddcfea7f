package io.corosync4j.engine.event;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.corosync4j.engine.event.EventCodec.Snapshot;
import io.corosync4j.engine.event.EventOperation.Barrier;
import io.corosync4j.engine.event.EventOperation.ClearRetention;
import io.corosync4j.engine.event.EventOperation.Close;
import io.corosync4j.engine.event.EventOperation.Expire;
import io.corosync4j.engine.event.EventOperation.Open;
import io.corosync4j.engine.event.EventOperation.Publish;
import io.corosync4j.engine.event.EventOperation.Subscribe;
import io.corosync4j.engine.event.EventOperation.Unlink;
import io.corosync4j.engine.event.EventOperation.Unsubscribe;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ServiceState;
import org.jspecify.annotations.Nullable;

/**
 * Every event channel of the group, its openers, subscriptions and retained events, replicated in full on
 * every member holding the state: a state machine without I/O or clocks that each member drives with the
 * same operations and group changes in the same order. Which subscriptions an event matches is decided
 * here, at the publication's point of the order, so every member decides the same; each member then
 * hands the events of its own subscriptions to the {@link Listener}.
 *
 * <p>Time enters only as operations: a publication carries its publisher's clock, from which its
 * retention runs, and the coordinator's timer sends {@link Expire} when the soonest retention ran out.
 *
 * <p>Called on the event loop only.
 */
final class EventState extends ServiceState<EventOperation, EventState.Outcome> {

	/** The end of a retention that never ends. */
	static final long NEVER = Long.MAX_VALUE;

	/** What the service learns from the state. */
	interface Listener extends ServiceState.Listener<Outcome> {

		/** An event for a subscription of this member's handle {@code handle}. */
		void deliver(long handle, long subscription, Event event);

	}

	/**
	 * The outcome of an operation: {@code error == null} for success, with the channel opened, or the id
	 * the publication got. {@code nextEvent}: the id the next publication gets, so a subscription knows
	 * where in the order it began and ended.
	 */
	record Outcome(@Nullable EventError error, String detail, long channel, long event, long nextEvent) {

		static Outcome failed(EventError error, String detail) {
			return new Outcome(error, detail, 0, 0, 0);
		}

	}

	private final Listener listener;

	/** Every channel, unlinked ones too, by id. */
	private final TreeMap<Long, Channel> channels = new TreeMap<>();

	/** The linked channels by name. */
	private final TreeMap<String, Channel> names = new TreeMap<>();

	/** Retained events with an end, soonest first. */
	private final TreeSet<Expiry> expiries = new TreeSet<>();

	private long nextChannel = 1;

	private long nextEvent = 1;

	/** The highest event id this member ever gave, kept when it drops its state: the floor of a fresh start. */
	private long highestEvent;

	private long retainedEvents;

	private long retainedBytes;

	private long openers;

	private long subscriptions;

	EventState(ReplicaView view, Listener listener) {
		super(view, listener);
		this.listener = listener;
	}

	// ---------------------------------------------------------------------------------------------
	// ReplicatedState

	@Override
	protected void memberGone(Member member) {
		removeMember(member);
	}

	/** Event ids never repeat, even when the state starts afresh: it starts above every id a member gave. */
	@Override
	public long floor() {
		return Math.max(this.highestEvent, this.nextEvent - 1);
	}

	@Override
	protected void startedFresh(long floor) {
		this.nextEvent = Math.max(1, floor + 1);
	}

	@Override
	public void writeSnapshot(DataOutput out) throws IOException {
		EventCodec.writeSnapshot(out, new Snapshot(this.nextChannel, this.nextEvent, List.copyOf(this.channels.values())));
	}

	@Override
	public void readSnapshot(DataInput in) throws IOException {
		Snapshot snapshot = EventCodec.readSnapshot(in);
		if (snapshot == null) {
			throw new IOException("the event state sent to this member breaks its rules");
		}
		clear();
		this.nextChannel = snapshot.nextChannel();
		this.nextEvent = snapshot.nextEvent();
		this.highestEvent = Math.max(this.highestEvent, this.nextEvent - 1);
		for (Channel channel : snapshot.channels()) {
			this.channels.put(channel.id, channel);
			if (!channel.unlinked) {
				this.names.put(channel.name, channel);
			}
			this.openers += channel.openers.size();
			this.subscriptions += channel.subscriptions.size();
			for (Retained event : channel.retained.values()) {
				this.retainedEvents++;
				this.retainedBytes += event.bytes();
				if (event.end != NEVER) {
					this.expiries.add(new Expiry(event.end, event.event.id(), channel.id));
				}
			}
		}
		timersChanged();
	}

	@Override
	protected @Nullable EventOperation decode(byte[] operation) {
		return EventCodec.decode(operation);
	}

	@Override
	protected long request(EventOperation operation) {
		return operation.request();
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	private Outcome ok(long channel, long event) {
		return new Outcome(null, "", channel, event, this.nextEvent);
	}

	@Override
	protected Outcome apply(Member from, EventOperation operation) {
		if (operation instanceof Open open) {
			return open(from, open);
		}
		if (operation instanceof Unlink unlink) {
			Channel channel = this.names.remove(unlink.name());
			if (channel == null) {
				return Outcome.failed(EventError.NOT_FOUND, "channel '" + unlink.name() + "'");
			}
			channel.unlinked = true;
			if (channel.openers.isEmpty()) {
				delete(channel);
			}
			return ok(channel.id, 0);
		}
		if (operation instanceof Expire expire) {
			expire(expire.now());
			return ok(0, 0);
		}
		if (operation instanceof Barrier) {
			return ok(0, 0);
		}
		return onChannel(from, operation);
	}

	private Outcome open(Member from, Open open) {
		Channel channel = this.names.get(open.name());
		Set<ChannelFlag> flags = ChannelFlag.of(open.flags());
		if (channel == null) {
			if (!flags.contains(ChannelFlag.CREATE)) {
				return Outcome.failed(EventError.NOT_FOUND, "channel '" + open.name() + "'");
			}
			if (this.channels.size() >= EventService.MAX_CHANNELS) {
				return Outcome.failed(EventError.NO_SPACE,
						"the service holds " + EventService.MAX_CHANNELS + " channels, its limit");
			}
		}
		if (this.openers >= EventService.MAX_OPENERS) {
			return Outcome.failed(EventError.NO_SPACE,
					"the service has " + EventService.MAX_OPENERS + " channel handles open, its limit");
		}
		Opener opener = new Opener(from, open.handle());
		if (channel == null) {
			channel = new Channel(this.nextChannel++, open.name());
			this.channels.put(channel.id, channel);
			this.names.put(channel.name, channel);
		}
		else if (channel.openers.containsKey(opener)) {
			return Outcome.failed(EventError.INVALID, "handle " + open.handle() + " is open already");
		}
		channel.openers.put(opener, open.flags());
		this.openers++;
		return ok(channel.id, 0);
	}

	/** The operations of an open handle on its channel. */
	private Outcome onChannel(Member from, EventOperation operation) {
		long channelId;
		long handle;
		if (operation instanceof Close close) {
			channelId = close.channel();
			handle = close.handle();
		}
		else if (operation instanceof Publish publish) {
			channelId = publish.channel();
			handle = publish.handle();
		}
		else if (operation instanceof Subscribe subscribe) {
			channelId = subscribe.channel();
			handle = subscribe.handle();
		}
		else if (operation instanceof Unsubscribe unsubscribe) {
			channelId = unsubscribe.channel();
			handle = unsubscribe.handle();
		}
		else {
			ClearRetention clear = (ClearRetention) operation;
			channelId = clear.channel();
			handle = clear.handle();
		}
		Channel channel = this.channels.get(channelId);
		Opener opener = new Opener(from, handle);
		Integer flags = (channel != null) ? channel.openers.get(opener) : null;
		if (channel == null || flags == null) {
			return Outcome.failed(EventError.CLOSED, "handle " + handle + " is not open");
		}
		if (operation instanceof Close) {
			removeOpener(channel, opener);
			if (channel.unlinked && channel.openers.isEmpty()) {
				delete(channel);
			}
			return ok(channel.id, 0);
		}
		if (operation instanceof Publish publish) {
			if (!ChannelFlag.of(flags).contains(ChannelFlag.PUBLISH)) {
				return Outcome.failed(EventError.INVALID, "handle " + handle + " of " + channel + " was not opened to publish");
			}
			return publish(from, channel, publish);
		}
		if (operation instanceof Subscribe subscribe) {
			if (!ChannelFlag.of(flags).contains(ChannelFlag.SUBSCRIBE)) {
				return Outcome.failed(EventError.INVALID,
						"handle " + handle + " of " + channel + " was not opened to subscribe");
			}
			Subscription key = new Subscription(opener, subscribe.subscription());
			if (channel.subscriptions.containsKey(key)) {
				return Outcome.failed(EventError.EXISTS, "subscription " + subscribe.subscription() + " of handle " + handle);
			}
			if (this.subscriptions >= EventService.MAX_SUBSCRIPTIONS) {
				return Outcome.failed(EventError.NO_SPACE,
						"the service holds " + EventService.MAX_SUBSCRIPTIONS + " subscriptions, its limit");
			}
			channel.subscriptions.put(key, subscribe.filters());
			this.subscriptions++;
			if (from.equals(this.view.self())) {
				// the retained events it matches come first, in their order
				for (Retained event : channel.retained.values()) {
					if (EventFilter.matchesAll(subscribe.filters(), event.event.patterns())) {
						this.listener.deliver(handle, subscribe.subscription(), event.event);
					}
				}
			}
			return ok(channel.id, 0);
		}
		if (operation instanceof Unsubscribe unsubscribe) {
			if (channel.subscriptions.remove(new Subscription(opener, unsubscribe.subscription())) == null) {
				return Outcome.failed(EventError.NOT_FOUND,
						"subscription " + unsubscribe.subscription() + " of handle " + handle);
			}
			this.subscriptions--;
			return ok(channel.id, 0);
		}
		ClearRetention clear = (ClearRetention) operation;
		Retained removed = channel.retained.get(clear.event());
		if (removed == null) {
			return Outcome.failed(EventError.NOT_FOUND, "no retained event " + clear.event() + " on " + channel);
		}
		unretain(channel, removed);
		return ok(channel.id, clear.event());
	}

	private Outcome publish(Member from, Channel channel, Publish publish) {
		long end = NEVER;
		if (publish.retentionMillis() != NEVER) {
			end = (publish.publishedAt() > NEVER - publish.retentionMillis()) ? NEVER - 1
					: publish.publishedAt() + publish.retentionMillis();
		}
		Event event = new Event(this.nextEvent, channel.name, publish.patterns(), publish.priority(),
				Duration.ofMillis(publish.retentionMillis()), publish.publisher(), from.nodeid(),
				Instant.ofEpochMilli(publish.publishedAt()), publish.data());
		Retained retained = null;
		if (publish.retentionMillis() > 0) {
			retained = new Retained(event, end);
			if (this.retainedEvents >= EventService.MAX_RETAINED_EVENTS) {
				return Outcome.failed(EventError.NO_SPACE,
						"the service retains " + EventService.MAX_RETAINED_EVENTS + " events, its limit");
			}
			if (this.retainedBytes + retained.bytes() > EventService.MAX_RETAINED_BYTES) {
				return Outcome.failed(EventError.NO_SPACE, "the service would retain " + (this.retainedBytes
						+ retained.bytes()) + " bytes of events, more than its limit of " + EventService.MAX_RETAINED_BYTES);
			}
		}
		this.nextEvent++;
		this.highestEvent = Math.max(this.highestEvent, event.id());
		if (retained != null) {
			channel.retained.put(event.id(), retained);
			this.retainedEvents++;
			this.retainedBytes += retained.bytes();
			if (end != NEVER) {
				this.expiries.add(new Expiry(end, event.id(), channel.id));
				timersChanged();
			}
		}
		Member self = this.view.self();
		for (Map.Entry<Subscription, List<EventFilter>> subscription : channel.subscriptions.entrySet()) {
			Subscription key = subscription.getKey();
			if (key.opener().member().equals(self) && EventFilter.matchesAll(subscription.getValue(), event.patterns())) {
				this.listener.deliver(key.opener().handle(), key.id(), event);
			}
		}
		return ok(channel.id, event.id());
	}

	private void expire(long now) {
		Iterator<Expiry> soonest = this.expiries.iterator();
		while (soonest.hasNext()) {
			Expiry expiry = soonest.next();
			if (expiry.at() > now) {
				break;
			}
			soonest.remove();
			Retained event = this.channels.get(expiry.channel()).retained.remove(expiry.event());
			this.retainedEvents--;
			this.retainedBytes -= event.bytes();
		}
		timersChanged();
	}

	private void unretain(Channel channel, Retained event) {
		channel.retained.remove(event.event.id());
		this.retainedEvents--;
		this.retainedBytes -= event.bytes();
		if (event.end != NEVER) {
			this.expiries.remove(new Expiry(event.end, event.event.id(), channel.id));
			timersChanged();
		}
	}

	private void removeOpener(Channel channel, Opener opener) {
		channel.openers.remove(opener);
		this.openers--;
		int before = channel.subscriptions.size();
		channel.subscriptions.keySet().removeIf((key) -> key.opener().equals(opener));
		this.subscriptions -= before - channel.subscriptions.size();
	}

	/** An unlinked channel lost its last opener, or was unlinked without one: it goes with its retained events. */
	private void delete(Channel channel) {
		this.channels.remove(channel.id);
		if (!channel.unlinked) {
			this.names.remove(channel.name);
		}
		for (Retained event : List.copyOf(channel.retained.values())) {
			unretain(channel, event);
		}
		timersChanged();
	}

	private void removeMember(Member member) {
		for (Channel channel : List.copyOf(this.channels.values())) {
			for (Opener opener : List.copyOf(channel.openers.keySet())) {
				if (opener.member().equals(member)) {
					removeOpener(channel, opener);
				}
			}
			if (channel.unlinked && channel.openers.isEmpty()) {
				delete(channel);
			}
		}
	}

	@Override
	protected void clear() {
		this.highestEvent = Math.max(this.highestEvent, this.nextEvent - 1);
		this.channels.clear();
		this.names.clear();
		this.expiries.clear();
		this.nextChannel = 1;
		this.nextEvent = 1;
		this.retainedEvents = 0;
		this.retainedBytes = 0;
		this.openers = 0;
		this.subscriptions = 0;
		timersChanged();
	}

	// ---------------------------------------------------------------------------------------------
	// Reads of the local replica

	/** Every channel: linked ones by name, then unlinked ones still open. */
	List<ChannelStatus> channels() {
		List<ChannelStatus> all = new ArrayList<>();
		for (Channel channel : this.names.values()) {
			all.add(channel.status());
		}
		for (Channel channel : this.channels.values()) {
			if (channel.unlinked) {
				all.add(channel.status());
			}
		}
		return all;
	}

	/** The soonest end of a retention, or {@link #NEVER}. */
	long nextExpiration() {
		return this.expiries.isEmpty() ? NEVER : this.expiries.first().at();
	}

	/** The ids of the events retained now, in order. */
	List<Long> retained() {
		List<Long> ids = new ArrayList<>();
		for (Channel channel : this.channels.values()) {
			ids.addAll(channel.retained.keySet());
		}
		ids.sort(null);
		return ids;
	}

	long nextEvent() {
		return this.nextEvent;
	}

	long retainedBytes() {
		return this.retainedBytes;
	}

	/** The whole state as text, the same on two members exactly when their states are; for tests. */
	String dump() {
		StringBuilder text = new StringBuilder();
		text.append("next channel ").append(this.nextChannel).append(" event ").append(this.nextEvent)
			.append(" retained ").append(this.retainedEvents).append('/').append(this.retainedBytes)
			.append(" openers ").append(this.openers).append(" subscriptions ").append(this.subscriptions).append('\n');
		for (Channel channel : this.channels.values()) {
			text.append(channel.id).append(' ').append(channel.unlinked ? "unlinked " : "").append(channel.name)
				.append(" openers ").append(channel.openers).append('\n');
			for (Map.Entry<Subscription, List<EventFilter>> subscription : channel.subscriptions.entrySet()) {
				text.append("  subscription ").append(subscription.getKey()).append(' ').append(subscription.getValue())
					.append('\n');
			}
			for (Retained event : channel.retained.values()) {
				Event e = event.event;
				text.append("  event ").append(e.id()).append(" until ").append(event.end).append(" priority ")
					.append(e.priority()).append(" from ").append(e.publisherNode()).append(' ').append(e.publisher())
					.append(" at ").append(e.published().toEpochMilli()).append(" patterns");
				for (byte[] pattern : e.patterns()) {
					text.append(' ').append(HexFormat.of().formatHex(pattern));
				}
				text.append(" data ").append(sha256(e.data())).append('\n');
			}
		}
		return text.toString();
	}

	private static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The model

	/** A handle that has a channel open: its member and the member's number for it. */
	record Opener(Member member, long handle) implements Comparable<Opener> {

		private static final Comparator<Opener> ORDER = Comparator.comparing(Opener::member)
			.thenComparingLong(Opener::handle);

		@Override
		public int compareTo(Opener other) {
			return ORDER.compare(this, other);
		}

		@Override
		public String toString() {
			return this.member + "#" + this.handle;
		}

	}

	/** A subscription: its handle and the handle's id for it. */
	record Subscription(Opener opener, long id) implements Comparable<Subscription> {

		private static final Comparator<Subscription> ORDER = Comparator.comparing(Subscription::opener)
			.thenComparingLong(Subscription::id);

		@Override
		public int compareTo(Subscription other) {
			return ORDER.compare(this, other);
		}

		@Override
		public String toString() {
			return this.opener + "/" + this.id;
		}

	}

	/** A retained event's end, in the index of those that end. */
	record Expiry(long at, long event, long channel) implements Comparable<Expiry> {

		private static final Comparator<Expiry> ORDER = Comparator.comparingLong(Expiry::at)
			.thenComparingLong(Expiry::event);

		@Override
		public int compareTo(Expiry other) {
			return ORDER.compare(this, other);
		}

	}

	/** A retained event and when its retention ends ({@link #NEVER}: when cleared). */
	static final class Retained {

		final Event event;

		final long end;

		Retained(Event event, long end) {
			this.event = event;
			this.end = end;
		}

		/** What it counts against the retained bytes: its data and patterns. */
		long bytes() {
			long total = this.event.data().length;
			for (byte[] pattern : this.event.patterns()) {
				total += pattern.length;
			}
			return total;
		}

	}

	/** One channel's replica. */
	static final class Channel {

		final long id;

		/** Its name; once unlinked, the name it had. */
		final String name;

		boolean unlinked;

		/** Open handles and the flags ({@link ChannelFlag#bits}) each was opened with. */
		final TreeMap<Opener, Integer> openers = new TreeMap<>();

		final TreeMap<Subscription, List<EventFilter>> subscriptions = new TreeMap<>();

		/** Retained events by id: their order of publication. */
		final TreeMap<Long, Retained> retained = new TreeMap<>();

		Channel(long id, String name) {
			this.id = id;
			this.name = name;
		}

		ChannelStatus status() {
			return new ChannelStatus(this.name, this.unlinked, this.openers.size(), this.subscriptions.size(),
					this.retained.size());
		}

		@Override
		public String toString() {
			return "channel '" + this.name + "'";
		}

	}

}
