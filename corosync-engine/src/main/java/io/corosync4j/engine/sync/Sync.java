package io.corosync4j.engine.sync;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

import io.corosync4j.engine.totem.pg.Group;
import io.corosync4j.engine.totem.pg.Totempg;
import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The synchronization protocol ({@code exec/sync.c} with the parts of {@code exec/main.c} that drive
 * it). After each regular configuration every member multicasts its service list; once all lists are
 * in, the union is walked in ascending service id: the service sends its state
 * ({@link SyncService#process}), the member multicasts a barrier, and when every member's barrier has
 * arrived the service activates. A membership change in the middle aborts the round; messages of an
 * older ring are ignored. Runs on the node's event loop.
 * <p>
 * Before its service list each corosync4j node multicasts an {@link Announcement} in a group of its
 * own, which Corosync ignores. A round that completes has delivered every member's list, and so every
 * announcement before it: all members agree on {@link #corosync4jOnly()}.
 */
public final class Sync implements Totempg.GroupListener {

	private static final Logger logger = LoggerFactory.getLogger(Sync.class);

	private enum State {

		SERVICELIST_BUILD, PROCESS, BARRIER

	}

	private final List<SyncService> localServices;

	private final Totempg.Handle handle;

	private final Totempg.Handle announcements;

	/** The members of this round that announced themselves. */
	private final Set<Long> announced = new HashSet<>();

	private boolean corosync4jOnly;

	private final boolean announce;

	private final Executor loop;

	private final Runnable completed;

	private State state = State.BARRIER;

	private @Nullable RingId ringId;

	private final Map<Long, Boolean> received = new LinkedHashMap<>();

	private List<Long> members = List.of();

	/**
	 * Per local service: the nodes that have been in every configuration with this one since the service
	 * last activated (its members then, narrowed by each transitional configuration since).
	 */
	private final Map<SyncService, List<Long>> continuous = new HashMap<>();

	private final List<Entry> services = new ArrayList<>();

	/** The members of the latest transitional configuration: what Corosync hands its services. */
	private List<Long> latestTransitional = List.of();

	private int processing;

	/** Bumped on every start and abort, so scheduled work of an earlier round does nothing. */
	private long round;

	/** As Corosync's {@code sync_in_process}: set until the first round completes. */
	private boolean inProgress = true;

	private long malformed;

	/**
	 * @param totempg the group layer the sync messages travel through
	 * @param localServices the services of this node that take part
	 * @param loop the node's event loop, where {@link SyncService#process} is retried
	 * @param completed called when a round completes: the node returns to its normal send queue
	 */
	public Sync(Totempg totempg, List<SyncService> localServices, Executor loop, Runnable completed) {
		this(totempg, localServices, loop, completed, true);
	}

	/** With {@code announce} false it takes part as a Corosync node does, without an {@link Announcement}. */
	public Sync(Totempg totempg, List<SyncService> localServices, Executor loop, Runnable completed, boolean announce) {
		this.announce = announce;
		this.localServices = List.copyOf(localServices);
		this.loop = loop;
		this.completed = completed;
		this.handle = totempg.register(this).join(Group.SYNC);
		this.announcements = totempg.register(new Totempg.GroupListener() {

			@Override
			public void deliver(long nodeid, byte[] message, boolean bigEndian) {
				deliver(nodeid, message, 0, message.length, bigEndian);
			}

			@Override
			public void deliver(long nodeid, byte[] buffer, int offset, int length, boolean bigEndian) {
				if (length == 0) {
					// the frame totempg sends to end a cut message beside Corosync daemons
					return;
				}
				Announcement announcement = Announcement.decode(buffer, offset, length);
				if (announcement == null) {
					Sync.this.malformed++;
				}
				else if (announcement.ringId().equals(Sync.this.ringId)) {
					Sync.this.announced.add(nodeid);
				}
			}

		}).join(Group.COROSYNC4J);
	}

	/** Whether a round is running (IPC clients wait, Corosync's {@code sync_in_process}). */
	public boolean inProgress() {
		return this.inProgress;
	}

	public long malformedMessages() {
		return this.malformed;
	}

	/**
	 * Whether every member of the ring announced itself as a corosync4j node: for the round in progress
	 * once every member's service list is in (before any service sends its state), else for the last
	 * completed round. The same answer on every member of that ring.
	 */
	public boolean corosync4jOnly() {
		return this.corosync4jOnly;
	}

	/**
	 * A configuration change, given by the node after its services saw it ({@code confchg_fn} in
	 * {@code main.c}): aborts a running round, remembers a transitional configuration, starts a round on
	 * a regular one. (The sync group's own configuration callback stays unused, as in Corosync.)
	 */
	public void membershipChanged(ConfigurationChange change) {
		boolean abort = this.inProgress;
		this.inProgress = true;
		if (abort) {
			abort();
		}
		if (change.type() == ConfigurationType.TRANSITIONAL) {
			this.latestTransitional = change.members();
			// Corosync hands its services only the latest transitional list. After aborted rounds a node may
			// have been separated from this one meanwhile (and delivered other old-ring messages); a service
			// must see it as having left since the ring the service last activated in
			for (SyncService service : this.localServices) {
				List<Long> since = this.continuous.get(service);
				this.continuous.put(service, (since == null) ? change.members() : intersection(since, change.members()));
			}
		}
		else {
			start(change.members(), change.ringId());
		}
	}

	@Override
	public void deliver(long nodeid, byte[] message, boolean bigEndian) {
		SyncMessage decoded = SyncMessage.decode(message);
		if (decoded == null) {
			this.malformed++;
			return;
		}
		if (!decoded.ringId().equals(this.ringId)) {
			logger.debug("{} for old ring - discarding", decoded.type());
			return;
		}
		switch (decoded.type()) {
			case SERVICE_BUILD -> serviceBuild(nodeid, decoded.services());
			case BARRIER -> barrier(nodeid);
		}
	}

	private void start(List<Long> newMembers, RingId newRing) {
		this.ringId = newRing;
		this.round++;
		this.state = State.SERVICELIST_BUILD;
		this.members = newMembers;
		this.received.clear();
		newMembers.forEach((nodeid) -> this.received.put(nodeid, false));
		this.processing = 0;
		this.services.clear();
		for (SyncService service : this.localServices) {
			this.services.add(new Entry(service.serviceId(), service));
		}
		this.services.sort(Comparator.comparingInt(Entry::serviceId));
		int[] ids = this.services.stream().mapToInt(Entry::serviceId).toArray();
		this.announced.clear();
		Outgoing serviceBuild = new Outgoing(this.handle, SyncMessage.serviceBuild(newRing, ids).encode());
		if (this.announce) {
			send(this.round, new Outgoing(this.announcements, new Announcement(newRing).encode()), serviceBuild);
		}
		else {
			send(this.round, serviceBuild);
		}
		for (Entry entry : this.services) {
			if (entry.service != null) {
				List<Long> since = this.continuous.getOrDefault(entry.service, List.of());
				entry.service.init(intersection(since, newMembers), this.latestTransitional, newMembers, newRing);
			}
		}
	}

	private static List<Long> intersection(List<Long> a, List<Long> b) {
		List<Long> both = new ArrayList<>(a);
		both.retainAll(b);
		return List.copyOf(both);
	}

	private void abort() {
		if (this.state == State.PROCESS) {
			SyncService current = this.services.get(this.processing).service;
			if (current != null) {
				current.abort();
			}
		}
		this.round++;
		this.ringId = null;
	}

	private void serviceBuild(long nodeid, int[] ids) {
		boolean added = false;
		for (int id : ids) {
			if (this.services.stream().noneMatch((entry) -> entry.serviceId == id)) {
				// a service only other members run: take part with nothing to send
				this.services.add(new Entry(id, null));
				added = true;
			}
		}
		if (added) {
			this.services.sort(Comparator.comparingInt(Entry::serviceId));
		}
		if (markAndCheckAll(nodeid)) {
			// every member's announcement came before its service list
			this.corosync4jOnly = this.announced.containsAll(this.members);
			logger.debug("enter sync process");
			processEnter();
		}
	}

	private void barrier(long nodeid) {
		if (!markAndCheckAll(nodeid)) {
			return;
		}
		Entry entry = this.services.get(this.processing);
		logger.debug("Committing synchronization for {}", entry.name());
		entry.activated = true;
		if (entry.service != null) {
			entry.service.activate();
			this.continuous.put(entry.service, this.members);
		}
		this.processing++;
		if (this.processing == this.services.size()) {
			complete();
		}
		else {
			processEnter();
		}
	}

	private boolean markAndCheckAll(long nodeid) {
		this.received.computeIfPresent(nodeid, (key, value) -> true);
		return !this.received.containsValue(false);
	}

	private void processEnter() {
		this.state = State.PROCESS;
		if (this.services.isEmpty()) {
			this.state = State.SERVICELIST_BUILD;
			complete();
			return;
		}
		this.received.replaceAll((key, value) -> false);
		long scheduled = this.round;
		this.loop.execute(() -> processStep(scheduled));
	}

	private void processStep(long scheduled) {
		if (scheduled != this.round || this.state != State.PROCESS) {
			return;
		}
		Entry entry = this.services.get(this.processing);
		if (entry.activated) {
			return;
		}
		boolean done = entry.service == null || entry.service.process();
		if (done) {
			this.state = State.BARRIER;
			RingId current = this.ringId;
			if (current != null) {
				send(scheduled, new Outgoing(this.handle, SyncMessage.barrier(current).encode()));
			}
		}
		else {
			this.loop.execute(() -> processStep(scheduled));
		}
	}

	private void complete() {
		this.inProgress = false;
		logger.info("Completed service synchronization, ready to provide service.");
		this.completed.run();
	}

	/**
	 * Sends in order now, or what is left from the loop while Totem's queue is full (Corosync ignores
	 * the failure).
	 */
	private void send(long scheduled, Outgoing... messages) {
		if (scheduled != this.round) {
			return;
		}
		for (int i = 0; i < messages.length; i++) {
			if (!messages[i].handle.mcast(messages[i].bytes)) {
				Outgoing[] rest = Arrays.copyOfRange(messages, i, messages.length);
				this.loop.execute(() -> send(scheduled, rest));
				return;
			}
		}
	}

	private record Outgoing(Totempg.Handle handle, byte[] bytes) {
	}

	/** One service in this round: a local one, or one only other members run. */
	private static final class Entry {

		final int serviceId;

		final @Nullable SyncService service;

		boolean activated;

		Entry(int serviceId, @Nullable SyncService service) {
			this.serviceId = serviceId;
			this.service = service;
		}

		int serviceId() {
			return this.serviceId;
		}

		String name() {
			return (this.service != null) ? this.service.name() : "Unknown External Service (id = " + this.serviceId + ")";
		}

	}

}
