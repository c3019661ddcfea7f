package io.corosync4j.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.sample.KvMessages.Envelope;
import io.corosync4j.sample.KvMessages.Snapshot;
import io.corosync4j.sample.KvMessages.Write;
import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgMembershipListener;
import io.corosync4j.spring.cpg.CpgTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The replicated state: writes and membership changes arrive in the group's agreed order, the same on
 * every instance, and are applied in that order.
 *
 * <p>State transfer: an instance that joins a group with members already holding the state is not
 * ready. At its join every ready member picks the same sender (the lowest ready process), which
 * multicasts a snapshot of the store as it is at that point of the order. The joiner keeps everything
 * delivered after its join, and when its snapshot arrives takes the snapshot's state and replays what it
 * kept. If the sender leaves before its snapshot is delivered, the next lowest ready process sends one
 * "as of" the later change, and the joiner skips what it kept up to that change. Until then its
 * readiness is REFUSING_TRAFFIC and the API answers 503.
 */
@Component
public class ReplicatedStore {

	static final String GROUP = "kv";

	private static final Logger logger = LoggerFactory.getLogger(ReplicatedStore.class);

	private final CpgTemplate template;

	private final ApplicationEventPublisher events;

	private final Map<String, CompletableFuture<Long>> pending = new ConcurrentHashMap<>();

	// ---- owned by the group's listener thread; the API reads under the lock

	private final Map<String, String> entries = new TreeMap<>();

	private long version;

	private volatile boolean ready;

	/**
	 * Held while a readiness is decided and published: Boot's "accepting" (on the thread that started the
	 * application) and the store's (on the listener thread) may race, and the check of {@link #ready} and
	 * the event it leads to must not be split by the other, or a late "refusing" would outlast the state.
	 */
	private final Object readiness = new Object();

	private String me = "";

	private final Set<String> readyProcesses = new TreeSet<>(PROCESS_ORDER);

	/** Joiners this instance (when ready) has seen and not yet seen served: changes since each joined. */
	private final Map<String, Integer> awaiting = new LinkedHashMap<>();

	private final Map<String, String> assignedSender = new HashMap<>();

	/** While not ready: everything delivered since this instance joined. */
	private final List<Object> kept = new ArrayList<>();

	private static final Comparator<String> PROCESS_ORDER = Comparator
		.comparingLong((String process) -> Long.parseLong(process.substring(0, process.indexOf('/'))))
		.thenComparingLong((process) -> Long.parseLong(process.substring(process.indexOf('/') + 1)));

	public ReplicatedStore(CpgTemplate template, ApplicationEventPublisher events) {
		this.template = template;
		this.events = events;
	}

	// ---------------------------------------------------------------------------------------------
	// API (request threads)

	public boolean isReady() {
		return this.ready;
	}

	/** The entries and the number of writes applied, or empty while not ready. */
	public synchronized Optional<Contents> contents() {
		return this.ready ? Optional.of(new Contents(Map.copyOf(this.entries), this.version)) : Optional.empty();
	}

	/**
	 * Replicates a write and waits until this instance applied it.
	 * @return the store's version after it
	 */
	public long write(String key, String value) throws Exception {
		String requestId = UUID.randomUUID().toString();
		CompletableFuture<Long> applied = new CompletableFuture<>();
		this.pending.put(requestId, applied);
		try {
			this.template.send(GROUP, new Envelope(new Write(requestId, key, value), null));
			return applied.get(10, TimeUnit.SECONDS);
		}
		finally {
			this.pending.remove(requestId);
		}
	}

	/**
	 * The store as the API shows it.
	 *
	 * @param entries the entries
	 * @param version writes applied so far
	 */
	public record Contents(Map<String, String> entries, long version) {
	}

	/** Boot declares the application ready once it started; the store overrules that until it has state. */
	@EventListener
	void onReadiness(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getState() != ReadinessState.ACCEPTING_TRAFFIC) {
			return;
		}
		synchronized (this.readiness) {
			if (!this.ready) {
				AvailabilityChangeEvent.publish(this.events, this, ReadinessState.REFUSING_TRAFFIC);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The group, in agreed order (one listener thread)

	@CpgListener(group = GROUP)
	void deliver(Envelope envelope) {
		if (!this.ready) {
			if (envelope.snapshot() != null && envelope.snapshot().target().equals(this.me)) {
				install(envelope.snapshot());
			}
			else {
				this.kept.add(envelope);
			}
			return;
		}
		apply(envelope);
	}

	@CpgMembershipListener(group = GROUP)
	void changed(CpgConfigurationChange change) {
		if (this.me.isEmpty()) {
			// a handle's first change is its own join
			CpgAddress self = change.joined().get(0);
			this.me = process(self);
			// processes that start together may join in one change (a synchronization merges their joins):
			// only those that were members before it can hold the state
			Set<String> joinedNow = new TreeSet<>(PROCESS_ORDER);
			change.joined().forEach((joined) -> joinedNow.add(process(joined)));
			List<String> before = new ArrayList<>();
			for (CpgAddress member : change.members()) {
				if (!joinedNow.contains(process(member))) {
					before.add(process(member));
				}
			}
			if (before.isEmpty()) {
				logger.info("{} is among the group's first members {}: ready with an empty store", this.me, joinedNow);
				this.readyProcesses.addAll(joinedNow);
				becomeReady();
			}
			else {
				logger.info("{} joined {} and waits for a state transfer", this.me, before);
			}
			return;
		}
		if (!this.ready) {
			this.kept.add(change);
			return;
		}
		membershipChanged(change);
	}

	/** Takes the snapshot's state, then replays what was kept after the point it was taken at. */
	private void install(Snapshot snapshot) {
		int skip = snapshot.skip();
		synchronized (this) {
			this.entries.clear();
			this.entries.putAll(snapshot.entries());
			this.version = snapshot.version();
		}
		this.readyProcesses.addAll(snapshot.holders());
		// drop what the snapshot already contains: everything up to the change it was taken at
		int changes = 0;
		int from = 0;
		while (changes < skip && from < this.kept.size()) {
			if (this.kept.get(from++) instanceof CpgConfigurationChange) {
				changes++;
			}
		}
		this.ready = true;
		List<Object> replay = new ArrayList<>(this.kept.subList(from, this.kept.size()));
		this.kept.clear();
		for (Object event : replay) {
			if (event instanceof CpgConfigurationChange change) {
				membershipChanged(change);
			}
			else {
				apply((Envelope) event);
			}
		}
		this.readyProcesses.add(this.me);
		logger.info("{} received the state ({} entries, version {}) and replayed {} later events", this.me,
				this.entries.size(), this.version, replay.size());
		acceptTraffic();
	}

	private void apply(Envelope envelope) {
		Write write = envelope.write();
		if (write != null) {
			long applied;
			synchronized (this) {
				if (write.value() == null) {
					this.entries.remove(write.key());
				}
				else {
					this.entries.put(write.key(), write.value());
				}
				applied = ++this.version;
			}
			CompletableFuture<Long> waiting = this.pending.get(write.requestId());
			if (waiting != null) {
				waiting.complete(applied);
			}
			return;
		}
		Snapshot snapshot = envelope.snapshot();
		if (snapshot != null) {
			String target = snapshot.target();
			if (this.awaiting.remove(target) != null) {
				this.assignedSender.remove(target);
				this.readyProcesses.add(target);
			}
		}
	}

	private void membershipChanged(CpgConfigurationChange change) {
		Set<String> members = new TreeSet<>(PROCESS_ORDER);
		change.members().forEach((member) -> members.add(process(member)));
		this.readyProcesses.retainAll(members);
		this.awaiting.keySet().retainAll(members);
		this.assignedSender.keySet().retainAll(members);
		this.awaiting.replaceAll((joiner, changes) -> changes + 1);
		for (CpgAddress joined : change.joined()) {
			this.awaiting.put(process(joined), 0);
		}
		if (this.readyProcesses.isEmpty()) {
			if (!this.awaiting.isEmpty()) {
				logger.warn("No member holding the state is left; {} cannot receive it", this.awaiting.keySet());
			}
			return;
		}
		String sender = this.readyProcesses.iterator().next();
		for (Map.Entry<String, Integer> joiner : this.awaiting.entrySet()) {
			if (!sender.equals(this.assignedSender.put(joiner.getKey(), sender)) && sender.equals(this.me)) {
				sendSnapshot(joiner.getKey(), joiner.getValue());
			}
		}
	}

	private void sendSnapshot(String target, int skip) {
		Snapshot snapshot;
		synchronized (this) {
			snapshot = new Snapshot(target, skip, Map.copyOf(this.entries), this.version,
					List.copyOf(this.readyProcesses));
		}
		logger.info("{} sends the state ({} entries) to {}", this.me, snapshot.entries().size(), target);
		this.template.send(GROUP, new Envelope(null, snapshot));
	}

	private void becomeReady() {
		this.ready = true;
		acceptTraffic();
	}

	/** Once {@link #ready}: after any "refusing" Boot's start led to, never before it. */
	private void acceptTraffic() {
		synchronized (this.readiness) {
			AvailabilityChangeEvent.publish(this.events, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
	}

	private static String process(CpgAddress address) {
		return address.nodeid() + "/" + address.pid();
	}

}
