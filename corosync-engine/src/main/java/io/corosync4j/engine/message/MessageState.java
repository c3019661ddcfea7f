package io.corosync4j.engine.message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import io.corosync4j.engine.message.MessageOperation.Ack;
import io.corosync4j.engine.message.MessageOperation.Close;
import io.corosync4j.engine.message.MessageOperation.CreateGroup;
import io.corosync4j.engine.message.MessageOperation.DeleteGroup;
import io.corosync4j.engine.message.MessageOperation.Open;
import io.corosync4j.engine.message.MessageOperation.Reply;
import io.corosync4j.engine.message.MessageOperation.Retire;
import io.corosync4j.engine.message.MessageOperation.Send;
import io.corosync4j.engine.message.MessageOperation.Synchronize;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.Retention;
import io.corosync4j.engine.replica.ServiceState;
import org.jspecify.annotations.Nullable;

/**
 * Every queue and queue group of the message service with every message not acknowledged yet,
 * replicated in full on every member holding the state: a state machine without I/O or clocks that each
 * member drives with the same operations and group changes in the same order, so each decides the same —
 * which queue of a group a send goes to (the round-robin cursor is state), whether a queue is full, and
 * where a message goes when its consumer's process leaves.
 *
 * <p>Message ids are handed out in the order sends are applied, so within a priority a queue holds its
 * messages in id order, which is send order: a message moved from another queue is put back in its place
 * by id rather than at the end, so each sender's messages stay in their order in the queue.
 *
 * <p>Called on the event loop only. What concerns a member's callers goes to the {@link Listener}; each
 * member picks out its own.
 */
final class MessageState extends ServiceState<MessageOperation, MessageState.Outcome> {

	/** The most queues the service holds. */
	static final int MAX_QUEUES = 4096;

	/** The most queue groups the service holds. */
	static final int MAX_GROUPS = 1024;

	/** The most payload bytes the service holds over all queues: 1 GiB, on every member. */
	static final long MAX_TOTAL_BYTES = 1L << 30;

	/** What the service learns from the state. */
	interface Listener extends ServiceState.Listener<Outcome> {

		/** A message was acknowledged by its queue's consumer (and, with {@code reply} not null, answered). */
		void acknowledged(Message message, byte @Nullable [] reply);

		/** A message could not be kept anywhere and goes back to its sender. */
		void returned(Message message, String reason);

		/** A queue's consumer is gone (it closed the queue, its process left, or the queue was deleted). */
		void consumerGone(String queue, Member consumer);

	}

	/** The outcome of an operation: {@code error == null} for success, with the ids of the messages a send made. */
	record Outcome(@Nullable MessageError error, String detail, long[] ids) {

		static final Outcome OK = new Outcome(null, "", new long[0]);

		static Outcome failed(MessageError error, String detail) {
			return new Outcome(error, detail, new long[0]);
		}

	}

	/**
	 * A message held in a queue. {@code sender} and {@code request} say whose call it answers;
	 * {@code moved}: it was re-targeted from another queue after that queue's consumer left.
	 */
	record Message(long id, int priority, Member sender, long request, int flags, boolean moved, byte[] payload) {

		Message movedOnce() {
			return new Message(this.id, this.priority, this.sender, this.request, this.flags, true, this.payload);
		}

	}

	/** One queue. */
	static final class Queue {

		final String name;

		final QueueAttributes attributes;

		String group = "";

		@Nullable Member consumer;

		/** Bumped at every open and every loss of its consumer: a retirement sent for an old one does nothing. */
		long generation;

		@SuppressWarnings("unchecked")
		final TreeMap<Long, Message>[] messages = new TreeMap[QueueAttributes.PRIORITIES];

		final long[] bytes = new long[QueueAttributes.PRIORITIES];

		/** When its messages last changed, by the state's {@link MessageState#changes} counter. */
		long changedAt;

		Queue(String name, QueueAttributes attributes) {
			this.name = name;
			this.attributes = attributes;
			for (int p = 0; p < QueueAttributes.PRIORITIES; p++) {
				this.messages[p] = new TreeMap<>();
			}
		}

		boolean hasRoom(int priority, int payload) {
			return this.messages[priority].size() < this.attributes.maxMessages(priority)
					&& this.bytes[priority] + payload <= this.attributes.maxBytes(priority);
		}

		int free(int priority) {
			return this.attributes.maxMessages(priority) - this.messages[priority].size();
		}

		void add(Message message, long change) {
			this.messages[message.priority()].put(message.id(), message);
			this.bytes[message.priority()] += message.payload().length;
			this.changedAt = change;
		}

		@Nullable Message remove(long id, long change) {
			for (int p = 0; p < QueueAttributes.PRIORITIES; p++) {
				Message removed = this.messages[p].remove(id);
				if (removed != null) {
					this.bytes[p] -= removed.payload().length;
					this.changedAt = change;
					return removed;
				}
			}
			return null;
		}

		/** Every message, by priority then id. */
		List<Message> all() {
			List<Message> all = new ArrayList<>();
			for (TreeMap<Long, Message> level : this.messages) {
				all.addAll(level.values());
			}
			return all;
		}

		long totalBytes() {
			long total = 0;
			for (long b : this.bytes) {
				total += b;
			}
			return total;
		}

	}

	/** One queue group. */
	static final class Group {

		final String name;

		final GroupPolicy policy;

		long cursor;

		Group(String name, GroupPolicy policy) {
			this.name = name;
			this.policy = policy;
		}

	}

	private final Listener listener;

	private final TreeMap<String, Queue> queues = new TreeMap<>();

	private final TreeMap<String, Group> groups = new TreeMap<>();

	private long nextId = 1;

	private long totalBytes;

	private long losses;

	/** Counts every change of any queue's messages, never reset: a queue's {@link Queue#changedAt} is one of its values. */
	private long changes;

	/** Between a configuration change and its settle: what the service is told waits in {@link #deferred}. */
	private boolean deferring;

	private final List<Runnable> deferred = new ArrayList<>();

	MessageState(ReplicaView view, Listener listener) {
		super(view, listener);
		this.listener = listener;
	}

	// ---------------------------------------------------------------------------------------------
	// ReplicatedState

	/**
	 * A change is applied at once, but this member's state may yet be found stale when it settles (a
	 * process paused past the token timeout sees everybody else leave): what it tells the service about
	 * the change — messages returned, consumers gone — waits for the settle, and is dropped with the state.
	 */
	@Override
	public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
		this.deferring = true;
		super.membersChanged(members, left, nodesDown);
	}

	@Override
	public void memberDropped(Member member) {
		this.deferring = true;
		super.memberDropped(member);
	}

	@Override
	protected void memberGone(Member member) {
		consumerLeft(member);
	}

	@Override
	public void settled(boolean coordinator) {
		this.deferring = false;
		List<Runnable> told = List.copyOf(this.deferred);
		this.deferred.clear();
		for (Runnable tell : told) {
			tell.run();
		}
		super.settled(coordinator);
	}

	/** Ids stay above every id a member saw, so a handler deduplicating by id never mistakes a new message for an old one. */
	@Override
	public long floor() {
		return this.nextId;
	}

	@Override
	public void lost() {
		this.losses++;
		super.lost();
	}

	@Override
	protected void startedFresh(long floor) {
		this.nextId = Math.max(1, floor);
	}

	@Override
	public void writeSnapshot(DataOutput out) throws IOException {
		out.writeLong(this.nextId);
		out.writeInt(this.groups.size());
		for (Group group : this.groups.values()) {
			MessageCodec.writeName(out, group.name);
			out.writeByte(group.policy.ordinal());
			out.writeLong(group.cursor);
		}
		out.writeInt(this.queues.size());
		for (Queue queue : this.queues.values()) {
			MessageCodec.writeName(out, queue.name);
			MessageCodec.writeAttributes(out, queue.attributes);
			out.writeUTF(queue.group);
			Member consumer = queue.consumer;
			out.writeBoolean(consumer != null);
			if (consumer != null) {
				out.writeLong(consumer.nodeid());
				out.writeLong(consumer.pid());
			}
			out.writeLong(queue.generation);
			List<Message> all = queue.all();
			out.writeInt(all.size());
			for (Message message : all) {
				out.writeLong(message.id());
				out.writeByte(message.priority());
				out.writeLong(message.sender().nodeid());
				out.writeLong(message.sender().pid());
				out.writeLong(message.request());
				out.writeByte(message.flags());
				out.writeBoolean(message.moved());
				MessageCodec.writeBytes(out, message.payload());
			}
		}
	}

	/**
	 * Reads what {@link #writeSnapshot} wrote, and only that: names in order and once, booleans 0 or 1, a
	 * queue's group "" or a name as {@code writeUTF} writes it, a queue's messages by priority then id,
	 * so whatever it accepts writes back to the same bytes.
	 */
	@Override
	public void readSnapshot(DataInput in) throws IOException {
		clear();
		this.nextId = in.readLong();
		int groupCount = count(in);
		for (int g = 0; g < groupCount; g++) {
			String name = MessageCodec.readName(in);
			int policy = in.readUnsignedByte();
			if (policy >= GroupPolicy.values().length) {
				throw new IOException("a group policy " + policy);
			}
			if (!this.groups.isEmpty() && this.groups.lastKey().compareTo(name) >= 0) {
				throw new IOException("group '" + name + "' out of order or twice");
			}
			Group group = new Group(name, GroupPolicy.values()[policy]);
			group.cursor = in.readLong();
			this.groups.put(name, group);
		}
		int queueCount = count(in);
		for (int q = 0; q < queueCount; q++) {
			String name = MessageCodec.readName(in);
			if (!this.queues.isEmpty() && this.queues.lastKey().compareTo(name) >= 0) {
				throw new IOException("queue '" + name + "' out of order or twice");
			}
			QueueAttributes attributes = MessageCodec.readAttributes(in);
			if (attributes == null) {
				throw new IOException("queue attributes that break the rules");
			}
			Queue queue = new Queue(name, attributes);
			queue.group = readGroup(in);
			if (MessageCodec.readBoolean(in)) {
				queue.consumer = new Member(in.readLong(), in.readLong());
			}
			queue.generation = in.readLong();
			int count = count(in);
			int lastPriority = 0;
			long lastId = 0;
			for (int m = 0; m < count; m++) {
				long id = in.readLong();
				int priority = in.readUnsignedByte();
				if (priority >= QueueAttributes.PRIORITIES) {
					throw new IOException("a priority " + priority);
				}
				if (m > 0 && (priority < lastPriority || (priority == lastPriority && id <= lastId))) {
					throw new IOException("message " + id + " out of order or twice");
				}
				lastPriority = priority;
				lastId = id;
				Member sender = new Member(in.readLong(), in.readLong());
				long request = in.readLong();
				int flags = in.readUnsignedByte();
				if ((flags & ~(MessageOperation.WAIT_FOR_ACK | MessageOperation.WANTS_REPLY)) != 0) {
					throw new IOException("message flags " + flags);
				}
				Message message = new Message(id, priority, sender, request, flags, MessageCodec.readBoolean(in),
						MessageCodec.readBytes(in));
				queue.add(message, ++this.changes);
				this.totalBytes += message.payload().length;
			}
			this.queues.put(name, queue);
		}
		timersChanged();
	}

	private static int count(DataInput in) throws IOException {
		int count = in.readInt();
		if (count < 0) {
			throw new IOException("a count of " + count);
		}
		return count;
	}

	/** A queue's group: "" or a name, in exactly the bytes {@code writeUTF} writes for it. */
	private static String readGroup(DataInput in) throws IOException {
		int length = in.readUnsignedShort();
		byte[] written = new byte[2 + length];
		written[0] = (byte) (length >>> 8);
		written[1] = (byte) length;
		in.readFully(written, 2, length);
		String group = new DataInputStream(new ByteArrayInputStream(written)).readUTF();
		ByteArrayOutputStream again = new ByteArrayOutputStream(written.length);
		new DataOutputStream(again).writeUTF(group);
		if (!(group.isEmpty() || MessageCodec.validName(group)) || !Arrays.equals(again.toByteArray(), written)) {
			throw new IOException("a queue's group that is not a name as written: '" + group + "'");
		}
		return group;
	}

	@Override
	protected @Nullable MessageOperation decode(byte[] operation) {
		return MessageCodec.decode(operation);
	}

	@Override
	protected long request(MessageOperation operation) {
		return operation.request();
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	@Override
	protected Outcome apply(Member from, MessageOperation operation) {
		if (operation instanceof Send send) {
			return send(from, send);
		}
		if (operation instanceof Ack ack) {
			return acknowledge(from, ack.queue(), ack.id(), null);
		}
		if (operation instanceof Reply reply) {
			return acknowledge(from, reply.queue(), reply.id(), reply.payload());
		}
		if (operation instanceof Open open) {
			return open(from, open);
		}
		if (operation instanceof Close close) {
			Queue queue = this.queues.get(close.queue());
			if (queue == null || !from.equals(queue.consumer)) {
				return Outcome.failed(MessageError.CLOSED, "queue '" + close.queue() + "' is not open by " + from);
			}
			consumerGone(queue);
			return Outcome.OK;
		}
		if (operation instanceof CreateGroup create) {
			if (this.groups.containsKey(create.group())) {
				return Outcome.failed(MessageError.EXISTS, "queue group '" + create.group() + "'");
			}
			if (this.groups.size() >= MAX_GROUPS) {
				return Outcome.failed(MessageError.QUEUE_FULL, "the service holds " + MAX_GROUPS + " queue groups");
			}
			this.groups.put(create.group(), new Group(create.group(), create.policy()));
			return Outcome.OK;
		}
		if (operation instanceof DeleteGroup delete) {
			if (this.groups.remove(delete.group()) == null) {
				return Outcome.failed(MessageError.NOT_FOUND, "queue group '" + delete.group() + "'");
			}
			for (Queue queue : this.queues.values()) {
				if (queue.group.equals(delete.group())) {
					queue.group = "";
				}
			}
			return Outcome.OK;
		}
		if (operation instanceof Retire retire) {
			Queue queue = this.queues.get(retire.queue());
			if (queue != null && queue.consumer == null && queue.generation == retire.generation()) {
				delete(queue, "the retention of persistent queue '" + queue.name + "' ran out");
			}
			return Outcome.OK;
		}
		if (operation instanceof Synchronize) {
			return Outcome.OK;
		}
		throw new IllegalStateException("an operation not handled: " + operation);
	}

	private Outcome open(Member from, Open open) {
		Group group = null;
		if (!open.group().isEmpty()) {
			group = this.groups.get(open.group());
			if (group == null) {
				return Outcome.failed(MessageError.NOT_FOUND, "queue group '" + open.group() + "'");
			}
		}
		Queue queue = this.queues.get(open.queue());
		if (queue != null) {
			if (queue.consumer != null) {
				return Outcome.failed(MessageError.EXISTS, "queue '" + open.queue() + "' is open by " + queue.consumer);
			}
			if (!queue.attributes.equals(open.attributes())) {
				return Outcome.failed(MessageError.EXISTS, "queue '" + open.queue() + "' exists with " + queue.attributes);
			}
			if (group != null && !queue.group.isEmpty() && !queue.group.equals(group.name)) {
				return Outcome.failed(MessageError.INVALID, "queue '" + open.queue() + "' is in group '" + queue.group + "'");
			}
		}
		else {
			if (this.queues.size() >= MAX_QUEUES) {
				return Outcome.failed(MessageError.QUEUE_FULL, "the service holds " + MAX_QUEUES + " queues");
			}
			queue = new Queue(open.queue(), open.attributes());
			this.queues.put(queue.name, queue);
		}
		queue.consumer = from;
		queue.generation++;
		if (group != null) {
			queue.group = group.name;
		}
		timersChanged();
		return Outcome.OK;
	}

	private Outcome send(Member from, Send send) {
		int size = send.payload().length;
		if (this.totalBytes + size > MAX_TOTAL_BYTES) {
			return Outcome.failed(MessageError.QUEUE_FULL, "the service holds " + MAX_TOTAL_BYTES + " bytes of messages");
		}
		List<Queue> targets = new ArrayList<>();
		if (!send.toGroup()) {
			Queue queue = this.queues.get(send.target());
			if (queue == null) {
				return Outcome.failed(MessageError.NOT_FOUND, "queue '" + send.target() + "'");
			}
			if (!queue.hasRoom(send.priority(), size)) {
				return full(queue, send.priority());
			}
			targets.add(queue);
		}
		else {
			Group group = this.groups.get(send.target());
			if (group == null) {
				return Outcome.failed(MessageError.NOT_FOUND, "queue group '" + send.target() + "'");
			}
			List<Queue> members = queuesOf(group, null);
			if (members.isEmpty()) {
				return Outcome.failed(MessageError.NOT_FOUND, "queue group '" + group.name + "' has no queue");
			}
			if (group.policy == GroupPolicy.BROADCAST) {
				for (Queue queue : members) {
					if (!queue.hasRoom(send.priority(), size)) {
						return full(queue, send.priority());
					}
				}
				targets.addAll(members);
				if (this.totalBytes + (long) size * members.size() > MAX_TOTAL_BYTES) {
					return Outcome.failed(MessageError.QUEUE_FULL, "the service holds " + MAX_TOTAL_BYTES
							+ " bytes of messages");
				}
			}
			else {
				List<Queue> live = new ArrayList<>();
				for (Queue queue : members) {
					if (queue.consumer != null) {
						live.add(queue);
					}
				}
				List<Queue> pool = live.isEmpty() ? members : live;
				List<Queue> room = new ArrayList<>();
				for (Queue queue : pool) {
					if (queue.hasRoom(send.priority(), size)) {
						room.add(queue);
					}
				}
				if (room.isEmpty()) {
					return Outcome.failed(MessageError.QUEUE_FULL, "every queue of group '" + group.name
							+ "' is full at priority " + send.priority());
				}
				targets.add(pick(group, room, from.nodeid(), send.priority()));
			}
		}
		long[] ids = new long[targets.size()];
		for (int t = 0; t < targets.size(); t++) {
			Message message = new Message(this.nextId++, send.priority(), from, send.request(), send.flags(), false,
					send.payload());
			targets.get(t).add(message, ++this.changes);
			this.totalBytes += size;
			ids[t] = message.id();
		}
		return new Outcome(null, "", ids);
	}

	private static Outcome full(Queue queue, int priority) {
		return Outcome.failed(MessageError.QUEUE_FULL, "queue '" + queue.name + "' at priority " + priority + " holds "
				+ queue.messages[priority].size() + " of " + queue.attributes.maxMessages(priority) + " messages, "
				+ queue.bytes[priority] + " of " + queue.attributes.maxBytes(priority) + " bytes");
	}

	/** The group's queue for a message, by its policy, from candidates in name order (never empty). */
	private Queue pick(Group group, List<Queue> candidates, long senderNode, int priority) {
		List<Queue> local = new ArrayList<>();
		for (Queue queue : candidates) {
			Member consumer = queue.consumer;
			if (consumer != null && consumer.nodeid() == senderNode) {
				local.add(queue);
			}
		}
		List<Queue> pool = candidates;
		if ((group.policy == GroupPolicy.LOCAL_ROUND_ROBIN || group.policy == GroupPolicy.LOCAL_BEST_QUEUE)
				&& !local.isEmpty()) {
			pool = local;
		}
		if (group.policy == GroupPolicy.LOCAL_BEST_QUEUE) {
			Queue best = pool.get(0);
			for (Queue queue : pool) {
				if (queue.free(priority) > best.free(priority)) {
					best = queue;
				}
			}
			return best;
		}
		Queue chosen = pool.get((int) Math.floorMod(group.cursor, (long) pool.size()));
		group.cursor++;
		return chosen;
	}

	/** The group's queues in name order, but {@code except}. */
	private List<Queue> queuesOf(Group group, @Nullable Queue except) {
		List<Queue> members = new ArrayList<>();
		for (Queue queue : this.queues.values()) {
			if (queue.group.equals(group.name) && queue != except) {
				members.add(queue);
			}
		}
		return members;
	}

	private Outcome acknowledge(Member from, String name, long id, byte @Nullable [] reply) {
		Queue queue = this.queues.get(name);
		if (queue == null || !from.equals(queue.consumer)) {
			return Outcome.failed(MessageError.CLOSED, "queue '" + name + "' is not open by " + from);
		}
		Message message = queue.remove(id, ++this.changes);
		if (message == null) {
			return Outcome.failed(MessageError.NOT_FOUND, "message " + id + " in queue '" + name
					+ "' (acknowledged already, or moved)");
		}
		this.totalBytes -= message.payload().length;
		this.listener.acknowledged(message, reply);
		return Outcome.OK;
	}

	private void consumerLeft(Member member) {
		for (Queue queue : List.copyOf(this.queues.values())) {
			if (member.equals(queue.consumer)) {
				consumerGone(queue);
			}
		}
	}

	/**
	 * The queue's consumer closed it or left: its messages, handed out or not, move to the group's other
	 * queues with a live consumer (by the group's policy, past capacity: a message taken must not be
	 * dropped); without such a queue, a persistent queue keeps them and a transient one returns them to
	 * their senders. A transient queue is deleted; a persistent one waits for its retention.
	 */
	private void consumerGone(Queue queue) {
		Member consumer = queue.consumer;
		queue.consumer = null;
		queue.generation++;
		timersChanged();
		if (consumer != null) {
			String name = queue.name;
			tell(() -> this.listener.consumerGone(name, consumer));
		}
		Group group = queue.group.isEmpty() ? null : this.groups.get(queue.group);
		List<Queue> live = new ArrayList<>();
		if (group != null) {
			for (Queue other : queuesOf(group, queue)) {
				if (other.consumer != null) {
					live.add(other);
				}
			}
		}
		if (group != null && !live.isEmpty()) {
			for (Message message : queue.all()) {
				queue.remove(message.id(), ++this.changes);
				pick(group, live, message.sender().nodeid(), message.priority()).add(message.movedOnce(), ++this.changes);
			}
		}
		if (!queue.attributes.persistent()) {
			delete(queue, "queue '" + queue.name + "' was closed, or its consumer left, with no other queue of its "
					+ "group to take the message");
		}
	}

	private void delete(Queue queue, String reason) {
		this.queues.remove(queue.name);
		for (Message message : queue.all()) {
			this.totalBytes -= message.payload().length;
			tell(() -> this.listener.returned(message, reason));
		}
		timersChanged();
	}

	/** Tells the service now, or, between a change and its settle, at the settle. */
	private void tell(Runnable tell) {
		if (this.deferring) {
			this.deferred.add(tell);
		}
		else {
			tell.run();
		}
	}

	@Override
	protected void clear() {
		this.deferred.clear();
		this.deferring = false;
		this.queues.clear();
		this.groups.clear();
		this.totalBytes = 0;
		timersChanged();
	}

	// ---------------------------------------------------------------------------------------------
	// Reads, on the event loop

	/** The queue's next messages in priority then id order, skipping {@code handed}, at most {@code limit}. */
	List<Message> next(String name, int limit, Collection<Long> handed) {
		Queue queue = this.queues.get(name);
		List<Message> next = new ArrayList<>();
		if (queue == null || limit <= 0) {
			return next;
		}
		for (TreeMap<Long, Message> level : queue.messages) {
			for (Message message : level.values()) {
				if (!handed.contains(message.id())) {
					next.add(message);
					if (next.size() >= limit) {
						return next;
					}
				}
			}
		}
		return next;
	}

	@Nullable Member consumer(String name) {
		Queue queue = this.queues.get(name);
		return (queue != null) ? queue.consumer : null;
	}

	/** When the queue's messages last changed ({@code -1} for no such queue): unchanged, nothing new is to be handed. */
	long changedAt(String name) {
		Queue queue = this.queues.get(name);
		return (queue != null) ? queue.changedAt : -1;
	}

	boolean holds(String name, long id) {
		Queue queue = this.queues.get(name);
		if (queue == null) {
			return false;
		}
		for (TreeMap<Long, Message> level : queue.messages) {
			if (level.containsKey(id)) {
				return true;
			}
		}
		return false;
	}

	/** Persistent queues without a consumer, for the retention timers. */
	List<Retention> idle() {
		List<Retention> idle = new ArrayList<>();
		for (Queue queue : this.queues.values()) {
			if (queue.consumer == null && queue.attributes.persistent()) {
				idle.add(new Retention(queue.name, queue.generation, queue.attributes.retentionMillis()));
			}
		}
		return idle;
	}

	/** Times this member dropped its state. */
	long losses() {
		return this.losses;
	}

	/** How many messages the queues hold. */
	int messageCount() {
		int count = 0;
		for (Queue queue : this.queues.values()) {
			for (TreeMap<Long, Message> level : queue.messages) {
				count += level.size();
			}
		}
		return count;
	}

	/** The whole state, canonically, for tests that compare replicas. */
	String dump() {
		StringBuilder out = new StringBuilder("next ").append(this.nextId).append('\n');
		for (Group group : this.groups.values()) {
			out.append("group ").append(group.name).append(' ').append(group.policy).append(" cursor ")
				.append(group.cursor).append('\n');
		}
		for (Queue queue : this.queues.values()) {
			out.append("queue ").append(queue.name).append(" group ").append(queue.group).append(" consumer ")
				.append(queue.consumer).append(" generation ").append(queue.generation).append(' ')
				.append(queue.attributes).append(" bytes ").append(queue.totalBytes()).append('\n');
			for (Message message : queue.all()) {
				out.append("  ").append(message.id()).append(" p").append(message.priority()).append(" from ")
					.append(message.sender()).append('#').append(message.request()).append(" flags ")
					.append(message.flags()).append(message.moved() ? " moved " : " ")
					.append(java.util.HexFormat.of().formatHex(message.payload())).append('\n');
			}
		}
		return out.toString();
	}

}
