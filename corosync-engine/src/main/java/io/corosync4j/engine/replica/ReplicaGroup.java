package io.corosync4j.engine.replica;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.corosync4j.engine.replica.ReplicaMessage.Operation;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.engine.service.cpg.CpgTotemConfiguration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's state replicated over one CPG group: joins the group, runs the {@link ReplicaProtocol}
 * and the service's {@link ReplicatedState} on the node's event loop, and sends operations in order.
 * Every method is called on the event loop; an internal error there stops the node (a replica that may
 * differ from the others must not go on).
 */
public final class ReplicaGroup {

	/** Messages waiting for room in CPG's queue ({@link #backlog()}) at which services refuse new work with "try again". */
	public static final int OUTBOX_LIMIT = 65_536;

	/**
	 * The largest operation: half CPG's default send queue, so one operation never waits for a queue that
	 * cannot hold it, and a member's state moves between operations of this size.
	 */
	public static final int MAX_OPERATION_BYTES = 8 * 1024 * 1024;

	private static final Logger logger = LoggerFactory.getLogger("io.corosync4j.engine.replica");

	/** What the service learns of its group besides its state's events; called on the event loop. */
	public interface Observer {

		/** This member holds the state now ({@code true}) or dropped it ({@code false}). */
		default void synchronizedChanged(boolean synced) {
		}

		/**
		 * An operation was delivered; {@code applied}: every member holding the state applied it here (this
		 * member holds it, and so did the sender when it sent it).
		 */
		default void delivered(Member from, byte[] operation, boolean applied) {
		}

		/** The ring changed (CPG's totem configuration): anything waiting for the old ring to be stable waits for no more. */
		default void ringChanged(long ringSeq) {
		}

		/** After each delivery and configuration change of the group. */
		default void afterEvent() {
		}

		/** The node stopped the group (an internal error): the service fails what waits. */
		default void failed() {
		}

	}

	private final ReplicaHost host;

	private final String name;

	private final CpgName group;

	private final Function<ReplicaView, ReplicatedState> states;

	private final Observer observer;

	private @Nullable CpgHandle handle;

	private @Nullable ReplicaProtocol protocol;

	private @Nullable AutoCloseable primaryWatch;

	private final ArrayDeque<byte[]> outbox = new ArrayDeque<>();

	private boolean flushScheduled;

	private boolean closed;

	private volatile long malformed;

	private volatile boolean holdsState;

	/**
	 * A group not joined yet; {@link #join} on the event loop.
	 * @param states makes the service's state machine, given what it may read of the group
	 */
	public ReplicaGroup(ReplicaHost host, String groupName, Function<ReplicaView, ReplicatedState> states,
			Observer observer) {
		this.host = host;
		this.name = groupName;
		this.group = CpgName.of(groupName);
		this.states = states;
		this.observer = observer;
	}

	/** Joins the group; the state arrives later ({@link Observer#synchronizedChanged}). */
	public void join() {
		CpgHandle joined = this.host.cpg().join(this.group, new Listener(), true);
		this.handle = joined;
		ReplicaProtocol running = new ReplicaProtocol(new Member(joined.nodeId(), joined.pid()), new Effects());
		running.replicate(this.states.apply(running));
		this.protocol = running;
		this.primaryWatch = this.host.watchPrimary(() -> {
			ReplicaProtocol current = this.protocol;
			if (current != null && !this.closed) {
				guarded("marking a change of quorum", current::poke);
			}
		});
	}

	public String name() {
		return this.name;
	}

	/** This member, once joined. */
	public Member self() {
		CpgHandle current = this.handle;
		if (current == null) {
			throw new IllegalStateException("Group " + this.name + " not joined yet");
		}
		return new Member(current.nodeId(), current.pid());
	}

	/** What the state machine reads of the group; empty and without state before {@link #join}. */
	public @Nullable ReplicaView view() {
		return this.protocol;
	}

	/** Whether this member holds the state now; any thread. */
	public boolean holdsState() {
		return this.holdsState;
	}

	/** Whether this member holds the state and the last configuration change settled. */
	public boolean settled() {
		ReplicaProtocol current = this.protocol;
		return current != null && current.settled();
	}

	/** See {@link ReplicaView#durable()}; false before {@link #join}. */
	public boolean durable() {
		ReplicaProtocol current = this.protocol;
		return current != null && current.durable();
	}

	/** Whether this member sends or receives a state transfer now. */
	public boolean transferring() {
		ReplicaProtocol current = this.protocol;
		return current != null && current.transferring();
	}

	/**
	 * Multicasts an operation to the group, after everything sent before it; queued here while CPG's
	 * queue is full (a service refuses new work while {@link #backlog()} is at {@link #OUTBOX_LIMIT}).
	 * @return false, and nothing is sent, when the group is closed
	 */
	public boolean send(byte[] operation) {
		if (operation.length > MAX_OPERATION_BYTES) {
			throw new IllegalArgumentException("an operation of " + operation.length + " bytes, over the "
					+ MAX_OPERATION_BYTES + " a replicated group sends");
		}
		if (this.closed) {
			return false;
		}
		sendMessage(new Operation(operation));
		return true;
	}

	/** Messages waiting here for room in CPG's queue. */
	public int backlog() {
		return this.outbox.size();
	}

	/** Messages that could not be read, dropped. */
	public long malformedMessages() {
		return this.malformed;
	}

	/** Leaves the group: the others see this member leave in agreed order. */
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.outbox.clear();
		this.holdsState = false;
		AutoCloseable watch = this.primaryWatch;
		if (watch != null) {
			try {
				watch.close();
			}
			catch (Exception ex) {
				logger.debug("Could not stop watching quorum", ex);
			}
		}
		CpgHandle current = this.handle;
		if (current != null) {
			current.close();
		}
	}

	public boolean isClosed() {
		return this.closed;
	}

	/** Runs {@code work}; an internal error closes the group and stops the node. */
	public void guarded(String during, Runnable work) {
		try {
			work.run();
		}
		catch (RuntimeException | Error ex) {
			close();
			try {
				this.observer.failed();
			}
			finally {
				this.host.failStop(during + " (" + this.name + ")", ex);
			}
		}
	}

	private void sendMessage(ReplicaMessage message) {
		this.outbox.add(ReplicaCodec.encode(message));
		flush();
	}

	/** Hands queued messages to CPG in order; when its queue is full, tries again shortly. */
	private void flush() {
		CpgHandle current = this.handle;
		while (current != null && !this.closed && !this.outbox.isEmpty()) {
			CpgHandle.SendResult sent;
			try {
				sent = current.mcast(this.outbox.peek());
			}
			catch (IllegalStateException left) {
				this.outbox.clear();
				return;
			}
			if (sent != CpgHandle.SendResult.OK) {
				if (!this.flushScheduled) {
					this.flushScheduled = true;
					this.host.schedule(1, () -> {
						this.flushScheduled = false;
						guarded("sending messages", this::flush);
					});
				}
				return;
			}
			this.outbox.poll();
		}
	}

	private final class Effects implements ReplicaProtocol.Effects {

		@Override
		public void send(ReplicaMessage message) {
			if (!ReplicaGroup.this.closed) {
				sendMessage(message);
			}
		}

		@Override
		public void synchronizedChanged(boolean synced) {
			ReplicaGroup.this.holdsState = synced;
			if (synced) {
				logger.debug("{}: this member holds the state", ReplicaGroup.this.name);
			}
			else {
				logger.info("{}: this member dropped its state (it left the primary component, or the state was stale)",
						ReplicaGroup.this.name);
			}
			ReplicaGroup.this.observer.synchronizedChanged(synced);
		}

		@Override
		public void delivered(Member from, byte[] operation, boolean applied) {
			ReplicaGroup.this.observer.delivered(from, operation, applied);
		}

	}

	/** The group, on the event loop. */
	private final class Listener implements CpgListener {

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			guarded("applying a message", () -> {
				ReplicaProtocol current = ReplicaGroup.this.protocol;
				if (current == null || ReplicaGroup.this.closed) {
					return;
				}
				ReplicaMessage decoded = ReplicaCodec.decode(message);
				if (decoded == null) {
					ReplicaGroup.this.malformed++;
					logger.debug("{}: dropped a message of {} bytes from {}/{} that could not be read",
							ReplicaGroup.this.name, message.length, nodeid, pid);
					return;
				}
				current.deliver(new Member(nodeid, pid), decoded, ReplicaGroup.this.host.primary());
				ReplicaGroup.this.observer.afterEvent();
			});
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			guarded("applying a group change", () -> {
				ReplicaProtocol current = ReplicaGroup.this.protocol;
				if (current == null || ReplicaGroup.this.closed) {
					return;
				}
				Member self = current.self();
				List<Member> left = new ArrayList<>();
				Set<Member> nodesDown = new HashSet<>();
				for (CpgAddress gone : change.left()) {
					Member member = new Member(gone.nodeid(), gone.pid());
					if (member.equals(self)) {
						return;
					}
					left.add(member);
					if (gone.reason() == CpgReason.NODEDOWN) {
						nodesDown.add(member);
					}
				}
				List<Member> members = change.members()
					.stream()
					.map((m) -> new Member(m.nodeid(), m.pid()))
					.sorted()
					.toList();
				current.changed(change.ring(), members, left, nodesDown);
				ReplicaGroup.this.observer.afterEvent();
			});
		}

		@Override
		public void totemConfigurationChange(CpgTotemConfiguration configuration) {
			guarded("noting a new ring", () -> {
				ReplicaProtocol current = ReplicaGroup.this.protocol;
				if (current != null) {
					current.ring(configuration.ringId().seq());
				}
				ReplicaGroup.this.observer.ringChanged(configuration.ringId().seq());
			});
		}

	}

}
