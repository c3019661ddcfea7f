package io.corosync4j.engine.lock;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.corosync4j.engine.lock.LockMessage.Entry;
import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ReplicatedState;

/**
 * One member's copy of the lock table: a state machine without I/O that every member of the lock group
 * drives with the same events in the same order (the group's configuration changes and messages), so
 * every member holding a table grants the same locks with the same fencing tokens. Who holds a table,
 * and how a member comes to hold one, is the {@link io.corosync4j.engine.replica.ReplicaGroup}'s part.
 *
 * <p>Rules, each applied at one point of the agreed order:
 * <ul>
 * <li>A configuration change frees the locks and withdraws the requests of the processes that left (an
 * orphan lock stays, orphaned, until purged; the lock of a holder whose node left stays in grace), but
 * grants nothing: quorum is decided when the ring's synchronization ends, after CPG reports the change.
 * Waiters are granted once the change settles.</li>
 * <li>A table dropped (quorum gone, or stale) fails every request and lock of this member with
 * {@link LockError#NO_QUORUM}.</li>
 * <li>A table started afresh gives tokens above any a member knew of, above the askers' wall clocks in
 * milliseconds shifted left by 20 bits and above the ring's sequence number shifted left by 24.</li>
 * </ul>
 * Waiters are granted first in, first out per resource: a request is granted at once only when nobody
 * waits before it and the holders admit its mode.
 */
final class LockTable implements ReplicatedState {

	/**
	 * Locks and requests the table holds at most: with names of up to 256 bytes its snapshot stays below
	 * 10 MiB.
	 */
	static final int MAX_LOCKS = 32_768;

	/** What the table asks of the member that runs it, for that member's own requests. */
	interface Effects {

		/** This member's request {@code id} holds its lock now; {@code waited}: not at once, after others. */
		void granted(long id, long fence, boolean waited);

		/** This member's request {@code id} was refused, or its held lock lost. */
		void failed(long id, LockError error);

		/** This member's request {@code id} was released or withdrawn, as it asked. */
		void released(long id);

		/**
		 * Locks of departed nodes are in grace since change {@code epoch}: send a {@link GraceEnd} for it
		 * after {@code millis}. Asked of the lowest member holding a table, once the change settled.
		 */
		void graceStarted(long epoch, long millis);

		/** A lock message that could not be read: dropped by every member alike. */
		void malformed(byte[] operation);

		/**
		 * The wall clock in milliseconds: a member asking for a table offers it, shifted left by 20 bits,
		 * as a floor for the tokens of a table started afresh, so tokens go on growing even when no process
		 * that knew the last one is left.
		 */
		long wallClockMillis();

	}

	private final ReplicaView group;

	private final Effects effects;

	private final TreeMap<String, Resource> resources = new TreeMap<>();

	private final Map<Key, Lock> locks = new HashMap<>();

	private long fence;

	/** Configuration changes seen with a table: names the departures a {@link GraceEnd} ends. */
	private long epoch;

	LockTable(ReplicaView group, Effects effects) {
		this.group = group;
		this.effects = effects;
	}

	/** The table's resources, for views (empty without a table). */
	List<ResourceState> resources() {
		List<ResourceState> states = new ArrayList<>(this.resources.size());
		for (Resource resource : this.resources.values()) {
			states.add(resource.state());
		}
		return states;
	}

	// ---------------------------------------------------------------------------------------------
	// Events

	@Override
	public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
		this.epoch++;
		for (Member gone : left) {
			for (Lock lock : new ArrayList<>(this.locks.values())) {
				if (lock.member.equals(gone)) {
					leftBehind(lock, nodesDown.contains(gone));
				}
			}
		}
	}

	@Override
	public void apply(Member from, byte[] operation) {
		LockMessage message = LockCodec.decode(operation);
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
		else {
			this.effects.malformed(operation);
		}
	}

	/** A member's table was stale: its locks and requests go, without granting anything. */
	@Override
	public void memberDropped(Member member) {
		for (Lock lock : new ArrayList<>(this.locks.values())) {
			if (lock.member.equals(member)) {
				drop(lock);
			}
		}
	}

	@Override
	public void settled(boolean coordinator) {
		for (Resource resource : new ArrayList<>(this.resources.values())) {
			grantWaiters(resource);
		}
		if (coordinator) {
			startGrace();
		}
	}

	/** Quorum is gone (or the table was stale): this member's locks are lost and its requests fail. */
	@Override
	public void lost() {
		for (Resource resource : this.resources.values()) {
			for (Lock lock : resource.holders) {
				refuse(lock, LockError.NO_QUORUM);
			}
			for (Lock lock : resource.waiters) {
				refuse(lock, LockError.NO_QUORUM);
			}
		}
		this.resources.clear();
		this.locks.clear();
	}

	@Override
	public void startFresh(long floor) {
		this.resources.clear();
		this.locks.clear();
		this.fence = floor;
		// above the epochs of any earlier table, so a grace end of one never ends a grace of this one
		this.epoch = floor;
	}

	@Override
	public long floor() {
		return Math.max(this.fence, Math.max(0, this.effects.wallClockMillis()) << 20);
	}

	// ---------------------------------------------------------------------------------------------
	// With a table

	private void request(Member from, Request request) {
		Key key = new Key(from, request.id());
		if (this.locks.containsKey(key)) {
			return;
		}
		if (this.locks.size() >= MAX_LOCKS) {
			if (from.equals(this.group.self())) {
				this.effects.failed(request.id(), LockError.NO_SPACE);
			}
			return;
		}
		Resource resource = this.resources.computeIfAbsent(request.resource(), Resource::new);
		Lock lock = new Lock(from, request.id(), request.owner(), resource.name, request.mode(), request.flags(),
				request.graceMillis());
		if (this.group.settled() && resource.waiters.isEmpty() && resource.admits(lock.mode)) {
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
		if (from.equals(this.group.self())) {
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
		while (this.group.settled() && !resource.waiters.isEmpty() && resource.admits(resource.waiters.peek().mode)) {
			grant(resource, resource.waiters.poll(), true);
		}
		dropIfUnused(resource);
	}

	private void grant(Resource resource, Lock lock, boolean waited) {
		this.fence++;
		lock.fence = this.fence;
		resource.holders.add(lock);
		this.locks.put(lock.key(), lock);
		if (lock.member.equals(this.group.self())) {
			this.effects.granted(lock.id, lock.fence, waited);
		}
	}

	private void refuse(Lock lock, LockError error) {
		if (lock.member.equals(this.group.self())) {
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

	// ---------------------------------------------------------------------------------------------
	// Snapshots

	@Override
	public void writeSnapshot(DataOutput out) throws IOException {
		LockCodec.writeTable(out, this.fence, this.epoch, resources());
	}

	@Override
	public void readSnapshot(DataInput in) throws IOException {
		LockCodec.Table table = LockCodec.readTable(in);
		this.fence = table.fence();
		this.epoch = table.epoch();
		this.resources.clear();
		this.locks.clear();
		for (ResourceState stored : table.resources()) {
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
