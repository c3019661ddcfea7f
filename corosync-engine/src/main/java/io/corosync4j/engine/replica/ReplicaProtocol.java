package io.corosync4j.engine.replica;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.corosync4j.engine.replica.ReplicaMessage.Chunk;
import io.corosync4j.engine.replica.ReplicaMessage.Operation;
import io.corosync4j.engine.replica.ReplicaMessage.Settle;
import io.corosync4j.engine.replica.ReplicaMessage.SyncRequest;
import io.corosync4j.engine.replica.ReplicaMessage.Target;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a replicated state, and how a member comes to hold it: a state machine without I/O that
 * every member of the group drives with the same events in the same order, around the service's
 * {@link ReplicatedState}.
 *
 * <p>Rules, each applied at one point of the agreed order:
 * <ul>
 * <li>A member holds the state only while in the primary component. When a delivery finds quorum gone,
 * every member of the ring sees it at the same delivery: each drops its state and asks for one again.</li>
 * <li>A configuration change settles once every member's {@link Settle status} for it is delivered, after
 * the ring's synchronization, so with quorum known. States that missed changes are dropped then.</li>
 * <li>A member without the state asks with a {@link SyncRequest}; the lowest member holding it answers
 * with the state as it stood at that request (or at the settle, if the change had not settled), in
 * {@link Chunk}s, and the asking member applies the deliveries it saw since. A transfer counts only for
 * its targets' latest requests since the last configuration change, so every member agrees on who holds
 * the state; a change cuts every transfer short, and its targets ask again.</li>
 * <li>When every member of the group is asking and the component is primary, nobody holds the state: all
 * start an empty one together.</li>
 * </ul>
 */
final class ReplicaProtocol implements ReplicaView {

	/** A state is cut into chunks of this size: big enough to move fast, small enough for other traffic to pass. */
	static final int CHUNK_SIZE = 256 * 1024;

	/** Chunks a sender has on their way at once. */
	static final int WINDOW = 4;

	/** What the protocol asks of the member that runs it. */
	interface Effects {

		/** Multicast this to the group. */
		void send(ReplicaMessage message);

		/** This member holds the state now ({@code true}) or dropped it ({@code false}). */
		void synchronizedChanged(boolean synced);

		/**
		 * An operation was delivered (not one replayed after a transfer); {@code applied}: this member holds
		 * the state and the sender did too, so every member holding it applied it here.
		 */
		void delivered(Member from, byte[] operation, boolean applied);

	}

	private final Member self;

	private final Effects effects;

	private ReplicatedState state;

	// what members agree on

	private List<Member> members = List.of();

	private final TreeSet<Member> synced = new TreeSet<>();

	/** Requests for the state since the last configuration change, not answered yet. */
	private final LinkedHashMap<Member, Request> requesters = new LinkedHashMap<>();

	/** The last configuration change, as {@link #viewOf} names it. */
	private long view;

	/** False from a configuration change until every member's status for it is delivered. */
	private boolean settled = true;

	/** The first status of each member delivered for the current change ({@link Settle}). */
	private final TreeMap<Member, Status> statuses = new TreeMap<>();

	/** The history of this state (configuration changes, operations), as the last change left it, for the status. */
	private long digest;

	/** The history of this state, up to now. */
	private long history;

	/** The ring in which this state last settled in the primary component. */
	private long confirmed = -1;

	/** Operations delivered since the last change, held until it settles (in delivery order). */
	private final List<Held> held = new ArrayList<>();

	// this member's own

	private boolean holdsState;

	/** What was delivered since the point this member's state will be taken at ({@code null}: not delivered yet). */
	private @Nullable List<Event> buffer;

	private long nonce;

	private long ringSeq;

	/** The transfer this member receives. */
	private @Nullable Incoming incoming;

	/** The transfers this member sends, oldest first. */
	private final ArrayDeque<Outgoing> outgoing = new ArrayDeque<>();

	private long transfers;

	private int inFlight;

	/** The state this member dropped, kept for a {@link ReplicatedState#recoverable() recoverable} group. */
	private @Nullable Retained retained;

	ReplicaProtocol(Member self, Effects effects) {
		this.self = self;
		this.effects = effects;
		this.state = NO_STATE;
	}

	/** Sets the state machine, before the first event. */
	void replicate(ReplicatedState replicated) {
		this.state = replicated;
	}

	@Override
	public Member self() {
		return this.self;
	}

	@Override
	public List<Member> members() {
		return this.members;
	}

	@Override
	public boolean holdsState() {
		return this.holdsState;
	}

	@Override
	public boolean settled() {
		return this.holdsState && this.settled;
	}

	@Override
	public boolean coordinator() {
		return this.holdsState && !this.synced.isEmpty() && this.synced.first().equals(this.self);
	}

	@Override
	public boolean durable() {
		if (!this.holdsState) {
			return false;
		}
		if (this.synced.containsAll(this.members)) {
			return true;
		}
		long node = this.synced.first().nodeid();
		for (Member holder : this.synced) {
			if (holder.nodeid() != node) {
				return true;
			}
		}
		return false;
	}

	/** Whether this member is sending or receiving a transfer. */
	boolean transferring() {
		return this.incoming != null || !this.outgoing.isEmpty();
	}

	/**
	 * Multicasts this member's status again: a point of the order at which quorum, which may have
	 * changed, is read (and a change settles, if this member's status was all it waited for).
	 */
	void poke() {
		this.effects.send(new Settle(this.view, this.holdsState ? this.confirmed : -1, this.digest));
	}

	/** The ring this member is in now (CPG's totem configuration), for {@link #confirmed}. */
	void ring(long seq) {
		this.ringSeq = seq;
	}

	// ---------------------------------------------------------------------------------------------
	// Events

	/**
	 * The group's membership changed.
	 * @param ring the ring in which the change was delivered (the same on every member)
	 * @param left the processes that left it
	 * @param nodesDown those of them whose node left the ring
	 */
	void changed(RingId ring, List<Member> next, List<Member> left, Set<Member> nodesDown) {
		this.view = viewOf(ring, next, left);
		// every transfer is cut short: the requests it answers were withdrawn
		this.outgoing.clear();
		this.inFlight = 0;
		this.incoming = null;
		if (this.holdsState) {
			this.members = List.copyOf(next);
			this.requesters.clear();
			this.synced.removeAll(left);
			// operations held for a change that never settled wait for this one's settle: their senders that
			// left here are skipped then, and a state found stale never applies them
			this.settled = false;
			this.state.membersChanged(this.members, List.copyOf(left), Set.copyOf(nodesDown));
			this.history = mix(this.history, this.view);
			this.statuses.clear();
			this.digest = this.history;
			this.effects.send(new Settle(this.view, this.confirmed, this.digest));
			return;
		}
		List<Event> seen = this.buffer;
		if (seen != null) {
			seen.add(new Changed(ring, List.copyOf(next), List.copyOf(left), Set.copyOf(nodesDown)));
		}
		this.members = List.copyOf(next);
		this.requesters.clear();
		this.statuses.clear();
		this.settled = false;
		requestState();
	}

	/** A message of the group; {@code primary} is whether the component is primary at this point. */
	void deliver(Member from, ReplicaMessage message, boolean primary) {
		deliver(from, message, primary, false);
	}

	private void deliver(Member from, ReplicaMessage message, boolean primary, boolean replayed) {
		if (this.holdsState && !primary) {
			lose();
		}
		if (this.holdsState) {
			apply(from, message, replayed);
		}
		else {
			collect(from, message, primary, replayed);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// With the state

	private void apply(Member from, ReplicaMessage message, boolean replayed) {
		if (message instanceof Operation operation) {
			if (!this.synced.contains(from)) {
				// from a sender without the state: sent while it still held one it lost since
				if (!replayed) {
					this.effects.delivered(from, operation.payload(), false);
				}
			}
			else if (!this.settled) {
				// a state found stale at the settle must not have applied it: wait for the settle
				this.held.add(new Held(from, operation.payload(), replayed));
			}
			else {
				applyOperation(from, operation.payload(), replayed);
			}
		}
		else if (message instanceof Settle settle) {
			if (settle.view() == this.view && !this.settled) {
				this.statuses.putIfAbsent(from, new Status(from, settle.confirmed(), settle.digest()));
			}
		}
		else if (message instanceof SyncRequest request) {
			// a member with the state asks for none (states are lost by all at once): this one is stale
			if (request.view() != this.view || this.synced.contains(from)) {
				return;
			}
			this.requesters.put(from, new Request(from, request.nonce(), request.floor(), request.retained(),
					request.retainedDigest()));
			if (!this.settled) {
				// while a change settles there may be stale states: the settled state answers at the settle
				this.statuses.putIfAbsent(from, new Status(from, -1, 0));
			}
			else if (coordinator()) {
				startTransfer(List.of(new Target(from, request.nonce())));
			}
		}
		else if (message instanceof Chunk chunk) {
			if (chunk.last()) {
				boolean wasCoordinator = coordinator();
				for (Target target : chunk.targets()) {
					Request pending = this.requesters.get(target.member());
					if (pending != null && pending.nonce() == target.nonce()) {
						this.requesters.remove(target.member());
						this.synced.add(target.member());
					}
				}
				if (wasCoordinator && !coordinator()) {
					// a lower member received the state: it runs the group's timers from here
					this.state.coordinatorChanged(false);
				}
			}
			if (from.equals(this.self) && !replayed) {
				chunkReturned(chunk);
			}
		}
		if (this.holdsState && !this.settled) {
			settleIfEveryoneSpoke();
		}
	}

	private void applyOperation(Member from, byte[] operation, boolean replayed) {
		this.history = mix(this.history, from, operation);
		this.state.apply(from, operation);
		if (!replayed) {
			this.effects.delivered(from, operation, true);
		}
	}

	/**
	 * Applies the operations delivered while the last change settled, in their order, those of members
	 * still holding the state.
	 */
	private void applyHeld() {
		List<Held> waiting = List.copyOf(this.held);
		this.held.clear();
		for (Held operation : waiting) {
			if (this.synced.contains(operation.from())) {
				applyOperation(operation.from(), operation.payload(), operation.replayed());
			}
			else if (!operation.replayed()) {
				this.effects.delivered(operation.from(), operation.payload(), false);
			}
		}
	}

	/**
	 * The change settles once every member's status is in, with quorum known (this is a delivery after
	 * the ring's synchronization). A state that last settled in an older ring than another member's
	 * missed what happened since, and one whose history differs from the most members' of the newest
	 * ring saw other changes: both are dropped, and so is what their members hold, everywhere.
	 */
	private void settleIfEveryoneSpoke() {
		if (!this.statuses.keySet().containsAll(this.members)) {
			return;
		}
		long newest = -1;
		for (Status status : this.statuses.values()) {
			newest = Math.max(newest, status.confirmed());
		}
		// of the states of the newest ring, the one most members hold (the lowest member's on a tie)
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
			lose();
			return;
		}
		for (Member member : stale) {
			this.synced.remove(member);
			this.state.memberDropped(member);
			this.history = mix(this.history, member.nodeid() * 31 + member.pid());
		}
		this.settled = true;
		this.statuses.clear();
		this.confirmed = this.ringSeq;
		applyHeld();
		this.state.settled(coordinator());
		if (!this.requesters.isEmpty() && coordinator()) {
			List<Target> targets = new ArrayList<>();
			for (Request pending : this.requesters.values()) {
				targets.add(new Target(pending.member(), pending.nonce()));
			}
			startTransfer(targets);
		}
	}

	/** Quorum is gone, or this state is stale: it is dropped, and this member asks for one again. */
	private void lose() {
		for (Held operation : this.held) {
			if (!operation.replayed()) {
				this.effects.delivered(operation.from(), operation.payload(), false);
			}
		}
		this.held.clear();
		if (this.state.recoverable()) {
			this.retained = new Retained(capture(false), this.members, this.confirmed, this.history);
		}
		this.holdsState = false;
		this.effects.synchronizedChanged(false);
		this.state.lost();
		this.synced.clear();
		this.settled = true;
		this.statuses.clear();
		this.buffer = null;
		this.outgoing.clear();
		this.inFlight = 0;
		requestState();
	}

	// ---------------------------------------------------------------------------------------------
	// Transfers

	/** Takes the state as it stands now, for {@code targets}, and starts sending it. */
	private void startTransfer(List<Target> targets) {
		this.outgoing.add(new Outgoing(++this.transfers, List.copyOf(targets), capture(true)));
		pump();
	}

	/** The state as it stands, in chunks; with the protocol's part first for a transfer. */
	private List<byte[]> capture(boolean withHeader) {
		ChunkedOutput chunks = new ChunkedOutput();
		try (DataOutputStream out = new DataOutputStream(chunks)) {
			if (withHeader) {
				writeHeader(out);
			}
			this.state.writeSnapshot(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write the replicated state", ex);
		}
		return chunks.finish();
	}

	private static DataInputStream reader(List<byte[]> chunks) {
		List<InputStream> parts = new ArrayList<>(chunks.size());
		for (byte[] chunk : chunks) {
			parts.add(new ByteArrayInputStream(chunk));
		}
		return new DataInputStream(new SequenceInputStream(Collections.enumeration(parts)));
	}

	private void pump() {
		Outgoing current = this.outgoing.peek();
		while (current != null && this.inFlight < WINDOW && current.next < current.chunks.size()) {
			int index = current.next++;
			boolean last = index == current.chunks.size() - 1;
			this.inFlight++;
			this.effects.send(new Chunk(current.id, index, last, current.targets, current.chunks.get(index)));
			// the chunk is on its way: drop this member's reference so the transfer's memory goes as it is sent
			current.chunks.set(index, EMPTY);
		}
	}

	/** One of this member's chunks came back: the next may go. */
	private void chunkReturned(Chunk chunk) {
		Outgoing current = this.outgoing.peek();
		if (current == null || current.id != chunk.transfer()) {
			return;
		}
		this.inFlight--;
		if (chunk.last()) {
			this.outgoing.poll();
			this.inFlight = 0;
		}
		pump();
	}

	// ---------------------------------------------------------------------------------------------
	// Without the state

	private void collect(Member from, ReplicaMessage message, boolean primary, boolean replayed) {
		List<Event> seen = this.buffer;
		if (message instanceof SyncRequest request) {
			if (request.view() != this.view) {
				return;
			}
			Incoming receiving = this.incoming;
			if (receiving != null && receiving.from.equals(from)) {
				// the member sending this member the state lost it: its transfer will not end
				this.incoming = null;
			}
			this.requesters.put(from, new Request(from, request.nonce(), request.floor(), request.retained(),
					request.retainedDigest()));
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
		else if (message instanceof Chunk chunk) {
			if (receive(from, chunk, primary)) {
				return;
			}
			if (chunk.last()) {
				for (Target target : chunk.targets()) {
					Request pending = this.requesters.get(target.member());
					if (pending != null && pending.nonce() == target.nonce()) {
						this.requesters.remove(target.member());
					}
				}
			}
			if (seen != null) {
				seen.add(new Delivered(from, message, primary));
			}
			return;
		}
		else {
			if (seen != null) {
				seen.add(new Delivered(from, message, primary));
			}
			if (message instanceof Operation operation && !replayed) {
				this.effects.delivered(from, operation.payload(), false);
			}
		}
		startAfreshIfNobodyHasAState(primary);
	}

	/** Takes a chunk of the transfer to this member; whether it was one. */
	private boolean receive(Member from, Chunk chunk, boolean primary) {
		Incoming receiving = this.incoming;
		if (receiving == null) {
			Request mine = this.requesters.get(this.self);
			if (chunk.index() != 0 || mine == null || !chunk.targets().contains(new Target(this.self, mine.nonce()))) {
				return false;
			}
			receiving = new Incoming(from, chunk.transfer());
			this.incoming = receiving;
		}
		else if (!receiving.from.equals(from) || receiving.transfer != chunk.transfer()) {
			return false;
		}
		if (chunk.index() != receiving.chunks.size()) {
			// a sender never skips one: whatever sent this is not to be trusted, so ask again
			this.incoming = null;
			requestState();
			return true;
		}
		receiving.chunks.add(chunk.data());
		if (chunk.last()) {
			this.incoming = null;
			install(receiving.chunks, chunk.targets(), primary);
		}
		return true;
	}

	/**
	 * Without the state, follows the statuses as members with one do: when the last is in, the change
	 * settles and the lowest member with the state sends it to every member asking, as it stands then;
	 * this member's request before that point is answered from there.
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

	/** Takes the state as it stood at the transfer's point, then applies what was delivered since. */
	private void install(List<byte[]> chunks, List<Target> targets, boolean primary) {
		List<Event> since = (this.buffer != null) ? this.buffer : List.of();
		this.retained = null;
		try (DataInputStream in = reader(chunks)) {
			readHeader(in);
			this.state.readSnapshot(in);
			if (in.read() != -1) {
				throw new IOException("bytes left over after the state");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the replicated state sent to this member", ex);
		}
		this.buffer = null;
		this.holdsState = true;
		for (Event event : since) {
			if (event instanceof Changed change) {
				changed(change.ring, change.members, change.left, change.nodesDown);
			}
			else if (event instanceof Delivered delivered) {
				deliver(delivered.from, delivered.message, delivered.primary, true);
			}
		}
		// the last chunk's own delivery, as the others apply it (a replayed loss of quorum may have dropped
		// the state again: then as those without one do)
		for (Target target : targets) {
			Request pending = this.requesters.get(target.member());
			if (pending != null && pending.nonce() == target.nonce()) {
				this.requesters.remove(target.member());
				if (this.holdsState) {
					this.synced.add(target.member());
				}
			}
		}
		if (this.holdsState) {
			this.effects.synchronizedChanged(true);
			// the members that sent it lost their states at this very delivery if quorum is gone
			if (!primary) {
				lose();
			}
			else if (this.settled && coordinator()) {
				this.state.coordinatorChanged(true);
			}
		}
	}

	private void startAfreshIfNobodyHasAState(boolean primary) {
		if (!primary || this.members.isEmpty() || !this.requesters.keySet().containsAll(this.members)) {
			return;
		}
		Request keeper = keeper();
		if (keeper != null) {
			recover(keeper);
			return;
		}
		long floor = this.ringSeq << 24;
		for (Request pending : this.requesters.values()) {
			floor = Math.max(floor, pending.floor());
		}
		this.synced.clear();
		this.synced.addAll(this.members);
		this.requesters.clear();
		this.settled = true;
		this.statuses.clear();
		this.confirmed = this.ringSeq;
		this.history = mix(this.view, floor);
		this.digest = this.history;
		this.holdsState = true;
		this.buffer = null;
		this.incoming = null;
		this.state.startFresh(floor);
		this.effects.synchronizedChanged(true);
		this.state.settled(coordinator());
	}

	/**
	 * Of the states the members asking kept, the one to take up: of the newest ring, the history most of
	 * them share (the lowest member's on a tie), kept by its lowest member; {@code null} if none kept one.
	 */
	private @Nullable Request keeper() {
		long newest = -1;
		for (Request pending : this.requesters.values()) {
			newest = Math.max(newest, pending.retained());
		}
		if (newest < 0) {
			return null;
		}
		Map<Long, Integer> holders = new HashMap<>();
		for (Request pending : this.requesters.values()) {
			if (pending.retained() == newest) {
				holders.merge(pending.retainedDigest(), 1, Integer::sum);
			}
		}
		int most = Collections.max(holders.values());
		Request chosen = null;
		for (Request pending : this.requesters.values()) {
			if (pending.retained() == newest && holders.get(pending.retainedDigest()) == most
					&& (chosen == null || pending.member().compareTo(chosen.member()) < 0)) {
				chosen = pending;
			}
		}
		return chosen;
	}

	/**
	 * Every member asks and one kept a state: its member takes it up again at this point of the order (the
	 * processes gone since have left it) and sends it to the others as a transfer.
	 */
	private void recover(Request keeper) {
		this.requesters.remove(keeper.member());
		this.synced.clear();
		this.synced.add(keeper.member());
		this.settled = true;
		this.statuses.clear();
		this.incoming = null;
		if (!keeper.member().equals(this.self)) {
			// the state this member will receive is taken here
			if (this.buffer != null) {
				this.buffer = new ArrayList<>();
			}
			return;
		}
		Retained kept = this.retained;
		this.retained = null;
		try (DataInputStream in = reader(kept.chunks())) {
			this.state.readSnapshot(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the state this member kept", ex);
		}
		this.history = kept.history();
		this.confirmed = this.ringSeq;
		this.holdsState = true;
		this.buffer = null;
		// every member dropped its state and told its callers so (handles closed, requests failed): what
		// they held in it goes, as for a member found stale
		for (Member member : kept.members()) {
			this.state.memberDropped(member);
		}
		List<Member> gone = new ArrayList<>(kept.members());
		gone.removeAll(this.members);
		this.state.membersChanged(this.members, List.copyOf(gone), Set.copyOf(gone));
		this.history = mix(this.history, this.view);
		this.digest = this.history;
		this.effects.synchronizedChanged(true);
		this.state.settled(true);
		if (!this.requesters.isEmpty()) {
			List<Target> targets = new ArrayList<>();
			for (Request pending : this.requesters.values()) {
				targets.add(new Target(pending.member(), pending.nonce()));
			}
			startTransfer(targets);
		}
	}

	private void requestState() {
		this.nonce++;
		Retained kept = this.retained;
		this.effects.send(new SyncRequest(this.nonce, this.view, this.state.floor(), (kept != null) ? kept.confirmed() : -1,
				(kept != null) ? kept.history() : 0));
	}

	/**
	 * Names a configuration change by its ring, its members and who left: the same on every member, and
	 * never the same for two changes, since a process that left never comes back with its pid. The ring is
	 * part of the name because a status multicast for one change can be delivered after the next (Totem
	 * carries what was not sent yet into the next ring), and a group that splits and merges again has the
	 * same members and departures as before the split: the old status would count for the new change.
	 */
	static long viewOf(RingId ring, List<Member> members, List<Member> left) {
		long hash = 1125899906842597L;
		hash = 31 * (31 * hash + ring.rep()) + ring.seq();
		for (Member member : members) {
			hash = 31 * (31 * hash + member.nodeid()) + member.pid();
		}
		hash = 31 * hash + 0x9E3779B97F4A7C15L;
		for (Member member : left) {
			hash = 31 * (31 * hash + member.nodeid()) + member.pid();
		}
		return hash;
	}

	private static long mix(long hash, long value) {
		long mixed = (hash ^ value) * 0x9E3779B97F4A7C15L;
		return mixed ^ (mixed >>> 31);
	}

	private static long mix(long hash, Member from, byte[] operation) {
		long mixed = mix(hash, from.nodeid() * 0x100000001b3L + from.pid());
		return mix(mixed, ((long) operation.length << 32) | (Arrays.hashCode(operation) & 0xffffffffL));
	}

	// ---------------------------------------------------------------------------------------------
	// The protocol's part of a transfer: what members agree on besides the service's state

	private void writeHeader(DataOutputStream out) throws IOException {
		writeMembers(out, this.members);
		writeMembers(out, List.copyOf(this.synced));
		out.writeInt(this.requesters.size());
		for (Request pending : this.requesters.values()) {
			writeMember(out, pending.member());
			out.writeLong(pending.nonce());
			out.writeLong(pending.floor());
			out.writeLong(pending.retained());
			out.writeLong(pending.retainedDigest());
		}
		out.writeInt(this.statuses.size());
		for (Status status : this.statuses.values()) {
			writeMember(out, status.member());
			out.writeLong(status.confirmed());
			out.writeLong(status.digest());
		}
		out.writeBoolean(this.settled);
		out.writeLong(this.confirmed);
		out.writeLong(this.digest);
		out.writeLong(this.history);
	}

	private void readHeader(DataInputStream in) throws IOException {
		this.members = List.copyOf(readMembers(in));
		this.synced.clear();
		this.synced.addAll(readMembers(in));
		this.requesters.clear();
		for (int i = count(in); i > 0; i--) {
			Member member = readMember(in);
			this.requesters.put(member,
					new Request(member, in.readLong(), in.readLong(), in.readLong(), in.readLong()));
		}
		this.statuses.clear();
		for (int i = count(in); i > 0; i--) {
			Member member = readMember(in);
			this.statuses.put(member, new Status(member, in.readLong(), in.readLong()));
		}
		this.settled = in.readBoolean();
		this.confirmed = in.readLong();
		this.digest = in.readLong();
		this.history = in.readLong();
	}

	private static void writeMembers(DataOutputStream out, List<Member> members) throws IOException {
		out.writeInt(members.size());
		for (Member member : members) {
			writeMember(out, member);
		}
	}

	private static List<Member> readMembers(DataInputStream in) throws IOException {
		int count = count(in);
		List<Member> members = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			members.add(readMember(in));
		}
		return members;
	}

	private static void writeMember(DataOutputStream out, Member member) throws IOException {
		out.writeLong(member.nodeid());
		out.writeLong(member.pid());
	}

	private static Member readMember(DataInputStream in) throws IOException {
		return new Member(in.readLong(), in.readLong());
	}

	private static int count(DataInputStream in) throws IOException {
		int count = in.readInt();
		if (count < 0 || count > 1 << 20) {
			throw new EOFException("a count of " + count + " in a state transfer");
		}
		return count;
	}

	// ---------------------------------------------------------------------------------------------

	private static final byte[] EMPTY = new byte[0];

	/** Takes the place of the service's state until {@link #replicate}. */
	private static final ReplicatedState NO_STATE = new ReplicatedState() {

		@Override
		public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
		}

		@Override
		public void apply(Member from, byte[] operation) {
		}

		@Override
		public void memberDropped(Member member) {
		}

		@Override
		public void settled(boolean coordinator) {
		}

		@Override
		public void lost() {
		}

		@Override
		public void startFresh(long floor) {
		}

		@Override
		public void writeSnapshot(java.io.DataOutput out) {
		}

		@Override
		public void readSnapshot(java.io.DataInput in) {
		}

	};

	/** A member's request for the state, not yet answered, with what it kept of a state it dropped. */
	private record Request(Member member, long nonce, long floor, long retained, long retainedDigest) {
	}

	/** A dropped state kept: its bytes, the members it had, the ring it last settled in, its history. */
	private record Retained(List<byte[]> chunks, List<Member> members, long confirmed, long history) {
	}

	/** An operation delivered while a change settles. */
	private record Held(Member from, byte[] payload, boolean replayed) {
	}

	/** A member's status delivered for the current change (see {@link Settle}). */
	private record Status(Member member, long confirmed, long digest) {
	}

	private sealed interface Event permits Changed, Delivered {
	}

	private record Changed(RingId ring, List<Member> members, List<Member> left, Set<Member> nodesDown) implements Event {
	}

	private record Delivered(Member from, ReplicaMessage message, boolean primary) implements Event {
	}

	private static final class Incoming {

		final Member from;

		final long transfer;

		final List<byte[]> chunks = new ArrayList<>();

		Incoming(Member from, long transfer) {
			this.from = from;
			this.transfer = transfer;
		}

	}

	private static final class Outgoing {

		final long id;

		final List<Target> targets;

		final List<byte[]> chunks;

		int next;

		Outgoing(long id, List<Target> targets, List<byte[]> chunks) {
			this.id = id;
			this.targets = targets;
			this.chunks = chunks;
		}

	}

	/** Collects what is written in chunks of {@link #CHUNK_SIZE}, never one array of the whole state. */
	private static final class ChunkedOutput extends OutputStream {

		private final List<byte[]> chunks = new ArrayList<>();

		private byte[] current = new byte[CHUNK_SIZE];

		private int used;

		@Override
		public void write(int b) {
			if (this.used == CHUNK_SIZE) {
				next();
			}
			this.current[this.used++] = (byte) b;
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			while (length > 0) {
				if (this.used == CHUNK_SIZE) {
					next();
				}
				int part = Math.min(length, CHUNK_SIZE - this.used);
				System.arraycopy(bytes, offset, this.current, this.used, part);
				this.used += part;
				offset += part;
				length -= part;
			}
		}

		private void next() {
			this.chunks.add(this.current);
			this.current = new byte[CHUNK_SIZE];
			this.used = 0;
		}

		List<byte[]> finish() {
			this.chunks.add(Arrays.copyOf(this.current, this.used));
			return this.chunks;
		}

	}

}
