package io.corosync4j.engine.lock;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.corosync4j.engine.lock.LockMessage.Entry;
import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.LockTableState;
import io.corosync4j.engine.lock.LockMessage.PendingSync;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.lock.LockMessage.Settle;
import io.corosync4j.engine.lock.LockMessage.Snapshot;
import io.corosync4j.engine.lock.LockMessage.Status;
import io.corosync4j.engine.lock.LockMessage.SyncRequest;
import org.jspecify.annotations.Nullable;

/**
 * One member's copy of the lock table: a state machine without I/O that every member of the lock group
 * drives with the same events in the same order (the group's configuration changes and messages), so
 * every member holding a table grants the same locks with the same fencing tokens.
 *
 * <p>Rules, each applied at one point of the agreed order:
 * <ul>
 * <li>A member has a table only while in the primary component. When a delivery finds quorum gone, every
 * member of the ring sees it at the same delivery: each drops its table (its own locks are lost) and asks
 * for one again.</li>
 * <li>A configuration change frees the locks and withdraws the requests of the processes that left (an
 * orphan lock stays, orphaned, until purged), but grants nothing: quorum is decided when the ring's
 * synchronization ends, after CPG reports the change. Waiters are granted at the next delivery, with
 * quorum known ({@link Settle} makes one).</li>
 * <li>A member without a table asks with a {@link SyncRequest}; the lowest member holding one answers
 * with a {@link Snapshot} of the table as it stood at that request, and the asking member applies the
 * deliveries it saw since. A snapshot counts only for its member's latest request since the last
 * configuration change, so every member agrees on who holds a table.</li>
 * <li>When every member of the group is asking and the component is primary, nobody holds a table:
 * all start one, empty, with fencing tokens above any a member knew of, above the askers' wall clocks in
 * milliseconds shifted left by 20 bits and above the ring's sequence number shifted left by 24.</li>
 * </ul>
 * Waiters are granted first in, first out per resource: a request is granted at once only when nobody
 * waits before it and the holders admit its mode.
 */
final class LockTable {

	/**
	 * Locks and requests the table holds at most: with names of up to 256 bytes its snapshot stays below
	 * 10 MiB, well within what CPG queues for one message.
	 */
	static final int MAX_LOCKS = 32_768;

	/** What the table asks of the member that runs it, for that member's own requests. */
	interface Effects {

		/** Multicast this to the lock group. */
		void send(LockMessage message);

		/** This member's request {@code id} holds its lock now; {@code waited}: not at once, after others. */
		void granted(long id, long fence, boolean waited);

		/** This member's request {@code id} was refused, or its held lock lost. */
		void failed(long id, LockError error);

		/** This member's request {@code id} was released or withdrawn, as it asked. */
		void released(long id);

		/** This member holds a table now ({@code true}) or dropped it ({@code false}). */
		void synchronizedChanged(boolean synced);

		/**
		 * Locks of departed nodes are in grace since change {@code epoch}: send a {@link GraceEnd} for it
		 * after {@code millis}. Asked of the lowest member holding a table, once the change settled.
		 */
		void graceStarted(long epoch, long millis);

		/**
		 * The wall clock in milliseconds: a member asking for a table offers it, shifted left by 20 bits,
		 * as a floor for the tokens of a table started afresh, so tokens go on growing even when no process
		 * that knew the last one is left.
		 */
		long wallClockMillis();

	}

	private final Member self;

	private final Effects effects;

	// what members agree on

	private List<Member> members = List.of();

	private final TreeSet<Member> synced = new TreeSet<>();

	/** Requests for the table since the last configuration change, not answered yet. */
	private final LinkedHashMap<Member, PendingSync> requesters = new LinkedHashMap<>();

	private final TreeMap<String, Resource> resources = new TreeMap<>();

	private final Map<Key, Lock> locks = new HashMap<>();

	/** The last configuration change, as {@link #viewOf} names it. */
	private long view;

	/** False from a configuration change until every member's status for it is delivered; nothing is granted meanwhile. */
	private boolean settled = true;

	/** The first status of each member delivered for the current change ({@link Settle}). */
	private final TreeMap<Member, Status> statuses = new TreeMap<>();

	/** This member's table as the last change left it, for its status. */
	private long digest;

	/** The ring in which this table last settled in the primary component. */
	private long confirmed = -1;

	private long fence;

	/** Configuration changes seen with a table: names the departures a {@link GraceEnd} ends. */
	private long epoch;

	// this member's own

	private boolean hasTable;

	/** What was delivered since this member's latest request for the table ({@code null}: not delivered yet). */
	private @Nullable List<Event> buffer;

	private long nonce;

	private long ringSeq;

	LockTable(Member self, Effects effects) {
		this.self = self;
		this.effects = effects;
	}

	boolean hasTable() {
		return this.hasTable;
	}

	/** Whether this member holds a table and the last configuration change settled. */
	boolean settled() {
		return this.hasTable && this.settled;
	}

	List<Member> members() {
		return this.members;
	}

	/** The table's resources, for views (empty without a table). */
	List<ResourceState> resources() {
		List<ResourceState> states = new ArrayList<>(this.resources.size());
		for (Resource resource : this.resources.values()) {
			states.add(resource.state());
		}
		return states;
	}

	/**
	 * Multicasts this member's status again: a point of the order at which quorum, which may have
	 * changed, is read (and a change settles, if this member's status was all it waited for).
	 */
	void poke() {
		this.effects.send(new Settle(this.view, this.hasTable ? this.confirmed : -1, this.digest));
	}

	/** The ring this member is in now (CPG's totem configuration), for the tokens of a table started afresh. */
	void ring(long seq) {
		this.ringSeq = seq;
	}

	// ---------------------------------------------------------------------------------------------
	// Events

	/**
	 * The lock group's membership changed.
	 * @param left the processes that left it
	 * @param nodesDown those of them whose node left the ring (their locks may be in grace)
	 */
	void changed(List<Member> next, List<Member> left, Set<Member> nodesDown) {
		this.view = viewOf(next, left);
		if (this.hasTable) {
			this.members = List.copyOf(next);
			this.requesters.clear();
			this.epoch++;
			for (Member gone : left) {
				this.synced.remove(gone);
				for (Lock lock : new ArrayList<>(this.locks.values())) {
					if (lock.member.equals(gone)) {
						leftBehind(lock, nodesDown.contains(gone));
					}
				}
			}
			this.settled = false;
			this.statuses.clear();
			this.digest = digest();
			this.effects.send(new Settle(this.view, this.confirmed, this.digest));
			return;
		}
		List<Event> seen = this.buffer;
		if (seen != null) {
			seen.add(new Changed(next, left, Set.copyOf(nodesDown)));
		}
		this.members = List.copyOf(next);
		this.requesters.clear();
		this.statuses.clear();
		this.settled = false;
		requestTable();
	}

	/** A message of the lock group; {@code primary} is whether the component is primary at this point. */
	void deliver(Member from, LockMessage message, boolean primary) {
		if (this.hasTable && !primary) {
			lose(LockError.NO_QUORUM);
		}
		if (this.hasTable) {
			apply(from, message);
		}
		else {
			collect(from, message, primary);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// With a table

	private void apply(Member from, LockMessage message) {
		if (!this.synced.contains(from) && (message instanceof Request || message instanceof Release
				|| message instanceof Purge || message instanceof GraceEnd)) {
			// sent while its sender still had a table it has lost since (quorum, or a stale table)
			return;
		}
		if (message instanceof Request request) {
			request(from, request);
		}
		else if (message instanceof Release release) {
			release(from, release.id());
		}
		else if (message instanceof Purge purge) {
			purge(purge.resource());
		}
		else if (message instanceof GraceEnd end) {
			endGrace(end.epoch());
		}
		else if (message instanceof Settle settle) {
			if (settle.view() == this.view && !this.settled) {
				this.statuses.putIfAbsent(from, new Status(from, settle.confirmed(), settle.digest()));
				settleIfEveryoneSpoke();
			}
		}
		else if (message instanceof SyncRequest request) {
			// a member with a table asks for none (tables are lost by all at once): this one is stale
			if (request.view() != this.view || this.synced.contains(from)) {
				return;
			}
			this.requesters.put(from, new PendingSync(from, request.nonce(), request.fence()));
			if (!this.settled) {
				// while a change settles there may be stale tables: the settled table answers at the settle
				this.statuses.putIfAbsent(from, new Status(from, -1, 0));
				settleIfEveryoneSpoke();
			}
			else if (this.synced.first().equals(this.self)) {
				this.effects.send(new Snapshot(from, request.nonce(), capture()));
			}
		}
		else if (message instanceof Snapshot snapshot) {
			if (answers(snapshot)) {
				this.requesters.remove(snapshot.target());
				this.synced.add(snapshot.target());
			}
		}
		if (!this.settled) {
			settleIfEveryoneSpoke();
		}
	}

	/**
	 * The change settles once every member's status is in, with quorum known (this is a delivery after
	 * the ring's synchronization). A table that last settled in an older ring than another member's
	 * missed what happened since: it is dropped, and so are its member's locks and requests everywhere.
	 */
	private void settleIfEveryoneSpoke() {
		if (!this.statuses.keySet().containsAll(this.members)) {
			return;
		}
		long newest = -1;
		for (Status status : this.statuses.values()) {
			newest = Math.max(newest, status.confirmed());
		}
		// of the tables of the newest ring, the one most members hold (the lowest member's on a tie)
		Map<Long, Integer> holders = new HashMap<>();
		long winner = 0;
		int most = 0;
		for (Status status : this.statuses.values()) {
			if (status.confirmed() == newest && newest >= 0) {
				int count = holders.merge(status.digest(), 1, Integer::sum);
				if (count > most) {
					most = count;
					winner = status.digest();
				}
			}
		}
		for (Status status : this.statuses.values()) {
			if (status.confirmed() == newest && newest >= 0 && holders.get(status.digest()) == most) {
				winner = status.digest();
				break;
			}
		}
		List<Member> stale = new ArrayList<>();
		for (Status status : this.statuses.values()) {
			if (status.confirmed() >= 0 && (status.confirmed() < newest || status.digest() != winner)) {
				stale.add(status.member());
			}
		}
		if (stale.contains(this.self)) {
			lose(LockError.NO_QUORUM);
			return;
		}
		for (Member member : stale) {
			this.synced.remove(member);
			for (Lock lock : new ArrayList<>(this.locks.values())) {
				if (lock.member.equals(member)) {
					drop(lock);
				}
			}
		}
		this.settled = true;
		this.statuses.clear();
		this.confirmed = this.ringSeq;
		for (Resource resource : new ArrayList<>(this.resources.values())) {
			grantWaiters(resource);
		}
		startGrace();
		if (!this.requesters.isEmpty() && this.synced.first().equals(this.self)) {
			LockTableState settledTable = capture();
			for (PendingSync pending : List.copyOf(this.requesters.values())) {
				this.effects.send(new Snapshot(pending.member(), pending.nonce(), settledTable));
			}
		}
	}

	private void request(Member from, Request request) {
		Key key = new Key(from, request.id());
		if (this.locks.containsKey(key)) {
			return;
		}
		if (this.locks.size() >= MAX_LOCKS) {
			if (from.equals(this.self)) {
				this.effects.failed(request.id(), LockError.NO_SPACE);
			}
			return;
		}
		Resource resource = this.resources.computeIfAbsent(request.resource(), Resource::new);
		Lock lock = new Lock(from, request.id(), request.owner(), resource.name, request.mode(), request.flags(),
				request.graceMillis());
		if (this.settled && resource.waiters.isEmpty() && resource.admits(lock.mode)) {
			grant(resource, lock, false);
			return;
		}
		if ((lock.flags & LockMessage.TRY) != 0) {
			refuse(lock, LockError.NOT_AVAILABLE);
			dropIfUnused(resource);
			return;
		}
		resource.waiters.add(lock);
		this.locks.put(key, lock);
		if ((lock.flags & LockMessage.DETECT_DEADLOCK) != 0 && closesCycle(lock)) {
			resource.waiters.remove(lock);
			this.locks.remove(key);
			refuse(lock, LockError.DEADLOCK);
		}
	}

	private void release(Member from, long id) {
		Lock lock = this.locks.remove(new Key(from, id));
		if (lock == null) {
			return;
		}
		Resource resource = this.resources.get(lock.resource);
		if (lock.fence != 0) {
			resource.holders.remove(lock);
		}
		else {
			resource.waiters.remove(lock);
		}
		if (from.equals(this.self)) {
			this.effects.released(id);
		}
		grantWaiters(resource);
		dropIfUnused(resource);
	}

	private void purge(String name) {
		Resource resource = this.resources.get(name);
		if (resource == null) {
			return;
		}
		for (Lock holder : new ArrayList<>(resource.holders)) {
			if (holder.orphaned) {
				resource.holders.remove(holder);
				this.locks.remove(holder.key());
			}
		}
		grantWaiters(resource);
		dropIfUnused(resource);
	}

	/**
	 * A process left: its locks go, unless held as orphans or, when its node left the ring, in grace.
	 * Nothing is granted until the change settles.
	 */
	private void leftBehind(Lock lock, boolean nodeDown) {
		if (lock.fence != 0 && (lock.flags & LockMessage.ORPHAN) != 0) {
			lock.orphaned = true;
			return;
		}
		if (lock.fence != 0 && nodeDown && lock.graceMillis > 0) {
			lock.departed = this.epoch;
			return;
		}
		drop(lock);
	}

	/** Removes a lock, held or waiting, without granting anything. */
	private void drop(Lock lock) {
		Resource resource = this.resources.get(lock.resource);
		this.locks.remove(lock.key());
		if (lock.fence != 0) {
			resource.holders.remove(lock);
		}
		else {
			resource.waiters.remove(lock);
		}
		dropIfUnused(resource);
	}

	/** The lowest member with a table times the grace of locks whose nodes left at this change. */
	private void startGrace() {
		if (this.synced.isEmpty() || !this.synced.first().equals(this.self)) {
			return;
		}
		long longest = 0;
		for (Lock lock : this.locks.values()) {
			if (lock.departed != 0) {
				longest = Math.max(longest, lock.graceMillis);
			}
		}
		if (longest > 0) {
			this.effects.graceStarted(this.epoch, longest);
		}
	}

	private void endGrace(long through) {
		for (Resource resource : new ArrayList<>(this.resources.values())) {
			for (Lock holder : new ArrayList<>(resource.holders)) {
				if (holder.departed != 0 && holder.departed <= through) {
					resource.holders.remove(holder);
					this.locks.remove(holder.key());
				}
			}
			grantWaiters(resource);
		}
	}

	private void grantWaiters(Resource resource) {
		while (this.settled && !resource.waiters.isEmpty() && resource.admits(resource.waiters.peek().mode)) {
			grant(resource, resource.waiters.poll(), true);
		}
		dropIfUnused(resource);
	}

	private void grant(Resource resource, Lock lock, boolean waited) {
		this.fence++;
		lock.fence = this.fence;
		resource.holders.add(lock);
		this.locks.put(lock.key(), lock);
		if (lock.member.equals(this.self)) {
			this.effects.granted(lock.id, lock.fence, waited);
		}
	}

	private void refuse(Lock lock, LockError error) {
		if (lock.member.equals(this.self)) {
			this.effects.failed(lock.id, error);
		}
	}

	private void dropIfUnused(Resource resource) {
		if (resource.holders.isEmpty() && resource.waiters.isEmpty()) {
			this.resources.remove(resource.name);
		}
	}

	/**
	 * Whether {@code waiter}'s owner would wait, through the holders and earlier waiters of the resources
	 * it and the owners it waits for are queued on, for itself.
	 */
	private boolean closesCycle(Lock waiter) {
		Owner start = waiter.owner();
		Map<Owner, List<Lock>> waiting = new HashMap<>();
		for (Resource resource : this.resources.values()) {
			for (Lock queued : resource.waiters) {
				waiting.computeIfAbsent(queued.owner(), (owner) -> new ArrayList<>()).add(queued);
			}
		}
		Set<Owner> seen = new HashSet<>();
		ArrayDeque<Lock> pending = new ArrayDeque<>(List.of(waiter));
		while (!pending.isEmpty()) {
			Lock blocked = pending.poll();
			Resource resource = this.resources.get(blocked.resource);
			List<Lock> blockers = new ArrayList<>(resource.holders);
			for (Lock queued : resource.waiters) {
				if (queued == blocked) {
					break;
				}
				blockers.add(queued);
			}
			for (Lock blocker : blockers) {
				Owner owner = blocker.owner();
				if (owner.equals(start)) {
					return true;
				}
				if (seen.add(owner)) {
					pending.addAll(waiting.getOrDefault(owner, List.of()));
				}
			}
		}
		return false;
	}

	/** Quorum is gone: this member's locks are lost and its table dropped; it asks for one again. */
	private void lose(LockError error) {
		this.hasTable = false;
		this.effects.synchronizedChanged(false);
		for (Resource resource : this.resources.values()) {
			for (Lock lock : resource.holders) {
				refuse(lock, error);
			}
			for (Lock lock : resource.waiters) {
				refuse(lock, error);
			}
		}
		this.resources.clear();
		this.locks.clear();
		this.synced.clear();
		this.settled = true;
		this.statuses.clear();
		this.buffer = null;
		requestTable();
	}

	// ---------------------------------------------------------------------------------------------
	// Without a table

	private void collect(Member from, LockMessage message, boolean primary) {
		List<Event> seen = this.buffer;
		if (message instanceof SyncRequest request) {
			if (request.view() != this.view) {
				return;
			}
			this.requesters.put(from, new PendingSync(from, request.nonce(), request.fence()));
			if (from.equals(this.self) && request.nonce() == this.nonce) {
				this.buffer = new ArrayList<>();
			}
			else if (seen != null) {
				seen.add(new Delivered(from, message, primary));
			}
			noteStatus(new Status(from, -1, 0));
		}
		else if (message instanceof Settle settle) {
			if (seen != null) {
				seen.add(new Delivered(from, message, primary));
			}
			if (settle.view() == this.view) {
				noteStatus(new Status(from, settle.confirmed(), settle.digest()));
			}
		}
		else if (message instanceof Snapshot snapshot) {
			if (!answers(snapshot)) {
				return;
			}
			if (snapshot.target().equals(this.self)) {
				install(snapshot.state());
				// the holders that sent it lost their tables at this very delivery if quorum is gone
				if (this.hasTable && !primary) {
					lose(LockError.NO_QUORUM);
				}
				return;
			}
			this.requesters.remove(snapshot.target());
			if (seen != null) {
				seen.add(new Delivered(from, message, primary));
			}
			return;
		}
		else if (seen != null) {
			seen.add(new Delivered(from, message, primary));
		}
		startAfreshIfNobodyHasATable(primary);
	}

	/**
	 * Without a table, follows the statuses as members with one do: when the last is in, the change
	 * settles and the lowest member with a table sends its snapshot to every member asking, as the table
	 * stands then; this member's request before that point is answered from there.
	 */
	private void noteStatus(Status status) {
		if (this.settled) {
			return;
		}
		this.statuses.putIfAbsent(status.member(), status);
		if (this.statuses.keySet().containsAll(this.members)) {
			this.settled = true;
			this.statuses.clear();
			if (this.buffer != null) {
				this.buffer = new ArrayList<>();
			}
		}
	}

	/** Whether a snapshot answers its target's latest request since the last change (the only one that counts). */
	private boolean answers(Snapshot snapshot) {
		PendingSync pending = this.requesters.get(snapshot.target());
		return pending != null && pending.nonce() == snapshot.nonce();
	}

	/** Takes the table as it stood at this member's request, then applies what was delivered since. */
	private void install(LockTableState state) {
		List<Event> since = (this.buffer != null) ? this.buffer : List.of();
		load(state);
		this.buffer = null;
		this.hasTable = true;
		for (Event event : since) {
			if (event instanceof Changed change) {
				changed(change.members, change.left, change.nodesDown);
			}
			else if (event instanceof Delivered delivered) {
				deliver(delivered.from, delivered.message, delivered.primary);
			}
		}
		// the snapshot's own delivery, as the others apply it
		this.requesters.remove(this.self);
		if (this.hasTable) {
			this.synced.add(this.self);
			this.effects.synchronizedChanged(true);
		}
	}

	private void startAfreshIfNobodyHasATable(boolean primary) {
		if (!primary || this.members.isEmpty() || !this.requesters.keySet().containsAll(this.members)) {
			return;
		}
		long start = this.ringSeq << 24;
		for (PendingSync pending : this.requesters.values()) {
			start = Math.max(start, pending.fence());
		}
		this.resources.clear();
		this.locks.clear();
		this.synced.clear();
		this.synced.addAll(this.members);
		this.requesters.clear();
		this.settled = true;
		this.statuses.clear();
		this.confirmed = this.ringSeq;
		this.fence = start;
		// above the epochs of any earlier table, so a grace end of one never ends a grace of this one
		this.epoch = start;
		this.hasTable = true;
		this.buffer = null;
		this.effects.synchronizedChanged(true);
	}

	private void requestTable() {
		this.nonce++;
		long floor = Math.max(this.fence, Math.max(0, this.effects.wallClockMillis()) << 20);
		this.effects.send(new SyncRequest(this.nonce, this.view, floor));
	}

	/** A 64-bit FNV-1a hash of what a table holds, the same on every member holding the same table. */
	private long digest() {
		LockTableState content = new LockTableState(List.of(), List.of(), List.of(), List.of(), true, this.confirmed,
				this.fence, this.epoch, resources());
		byte[] bytes = LockCodec.encode(new Snapshot(this.self, 0, content));
		long hash = 0xcbf29ce484222325L;
		// the snapshot's target (this member) is not content: skip its version, type and member bytes
		for (int i = 2 + 12; i < bytes.length; i++) {
			hash = (hash ^ (bytes[i] & 0xff)) * 0x100000001b3L;
		}
		return hash;
	}

	/**
	 * Names a configuration change by its members and who left: the same on every member, and never the
	 * same for two changes in practice, since a process that left never comes back with its pid.
	 */
	static long viewOf(List<Member> members, List<Member> left) {
		long hash = 1125899906842597L;
		for (Member member : members) {
			hash = 31 * (31 * hash + member.nodeid()) + member.pid();
		}
		hash = 31 * hash + 0x9E3779B97F4A7C15L;
		for (Member member : left) {
			hash = 31 * (31 * hash + member.nodeid()) + member.pid();
		}
		return hash;
	}

	// ---------------------------------------------------------------------------------------------
	// Snapshots

	LockTableState capture() {
		List<Status> delivered = List.copyOf(this.statuses.values());
		return new LockTableState(this.members, List.copyOf(this.synced), List.copyOf(this.requesters.values()),
				delivered, this.settled, this.confirmed, this.fence, this.epoch, resources());
	}

	private void load(LockTableState state) {
		this.members = List.copyOf(state.members());
		this.synced.clear();
		this.synced.addAll(state.synced());
		this.requesters.clear();
		for (PendingSync pending : state.requesters()) {
			this.requesters.put(pending.member(), pending);
		}
		this.settled = state.settled();
		this.statuses.clear();
		for (Status status : state.statuses()) {
			this.statuses.put(status.member(), status);
		}
		this.confirmed = state.confirmed();
		this.fence = state.fence();
		this.epoch = state.epoch();
		this.resources.clear();
		this.locks.clear();
		for (ResourceState stored : state.resources()) {
			Resource resource = new Resource(stored.name());
			for (Entry entry : stored.holders()) {
				Lock lock = Lock.of(entry, resource.name);
				resource.holders.add(lock);
				this.locks.put(lock.key(), lock);
			}
			for (Entry entry : stored.waiters()) {
				Lock lock = Lock.of(entry, resource.name);
				resource.waiters.add(lock);
				this.locks.put(lock.key(), lock);
			}
			this.resources.put(resource.name, resource);
		}
	}

	// ---------------------------------------------------------------------------------------------

	private record Key(Member member, long id) {
	}

	/** Who holds or waits, for deadlock detection: one owner within one member. */
	private record Owner(Member member, long owner) {
	}

	private sealed interface Event permits Changed, Delivered {
	}

	private record Changed(List<Member> members, List<Member> left, Set<Member> nodesDown) implements Event {
	}

	private record Delivered(Member from, LockMessage message, boolean primary) implements Event {
	}

	private static final class Lock {

		final Member member;

		final long id;

		final long owner;

		final String resource;

		final LockMode mode;

		final int flags;

		final int graceMillis;

		/** Its fencing token once granted; 0 while it waits. */
		long fence;

		boolean orphaned;

		/** The change at which its holder's node left, while the lock is in grace; 0 otherwise. */
		long departed;

		Lock(Member member, long id, long owner, String resource, LockMode mode, int flags, int graceMillis) {
			this.member = member;
			this.id = id;
			this.owner = owner;
			this.resource = resource;
			this.mode = mode;
			this.flags = flags;
			this.graceMillis = graceMillis;
		}

		static Lock of(Entry entry, String resource) {
			Lock lock = new Lock(entry.member(), entry.id(), entry.owner(), resource, entry.mode(), entry.flags(),
					entry.graceMillis());
			lock.fence = entry.fence();
			lock.orphaned = entry.orphaned();
			lock.departed = entry.departed();
			return lock;
		}

		Key key() {
			return new Key(this.member, this.id);
		}

		Owner owner() {
			return new Owner(this.member, this.owner);
		}

		Entry entry() {
			return new Entry(this.member, this.id, this.owner, this.mode, this.flags, this.graceMillis, this.fence,
					this.orphaned, this.departed);
		}

	}

	private static final class Resource {

		final String name;

		final List<Lock> holders = new ArrayList<>();

		final ArrayDeque<Lock> waiters = new ArrayDeque<>();

		Resource(String name) {
			this.name = name;
		}

		boolean admits(LockMode mode) {
			for (Lock holder : this.holders) {
				if (!mode.compatibleWith(holder.mode)) {
					return false;
				}
			}
			return true;
		}

		ResourceState state() {
			return new ResourceState(this.name, this.holders.stream().map(Lock::entry).toList(),
					this.waiters.stream().map(Lock::entry).toList());
		}

	}

}
