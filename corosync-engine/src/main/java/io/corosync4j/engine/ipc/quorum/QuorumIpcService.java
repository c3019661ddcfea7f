package io.corosync4j.engine.ipc.quorum;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcService;
import io.corosync4j.engine.ipc.Registrations;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.quorum.QuorumCodec.NodeListView;
import io.corosync4j.engine.ipc.quorum.QuorumCodec.QuorumView;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;

/**
 * The {@code quorum} IPC service of a node ({@code libquorum}), as Corosync's {@code vsf_quorum}: the quorum
 * state is the provider's last notification (votequorum's), or always quorate without a provider; a
 * synchronized ring is announced to model 1 clients with the members that joined and left since the
 * previous one. Listens to the node for as long as the node runs.
 */
public final class QuorumIpcService implements IpcService {

	private final CorosyncNode node;

	private final @Nullable VotequorumService votequorum;

	final Set<QuorumSession> trackers = ConcurrentHashMap.newKeySet();

	private volatile QuorumView view;

	/** What it listens to, removed when the server stops serving it. */
	private final Registrations registrations = new Registrations();

	/** The last synchronized ring announced and its members; touched on the node's event loop only. */
	private @Nullable RingId announcedRing;

	private List<Long> announcedMembers;

	public QuorumIpcService(CorosyncNode node) {
		this.node = node;
		this.votequorum = node.votequorum().orElse(null);
		Membership membership = node.membership();
		this.announcedRing = membership.synced() ? membership.ringId() : null;
		this.announcedMembers = membership.synced() ? membership.members() : List.of();
		if (this.votequorum != null) {
			QuorumState state = this.votequorum.state();
			this.view = (state != null) ? view(state) : new QuorumView(false, 0, 0, List.of());
			this.registrations.add(this.votequorum.addListener(this::quorumChanged));
		}
		else {
			// without a provider Corosync is quorate and never reports a ring to quorum clients
			this.view = new QuorumView(true, 0, 0, List.of());
		}
		this.registrations.add(node.addMembershipListener(this::membershipChanged));
	}

	@Override
	public void close() {
		this.registrations.close();
	}

	@Override
	public String name() {
		return "quorum";
	}

	@Override
	public IpcSession connected(IpcConnection connection) {
		return new QuorumSession(this, connection);
	}

	/** {@code quorum_type}: 1 with a quorum provider, 0 without. */
	int quorumType() {
		return (this.votequorum != null) ? 1 : 0;
	}

	QuorumView view() {
		return this.view;
	}

	/** The ring as of its last configuration, without the joined and left lists (a trackstart's answer). */
	NodeListView currentNodeList() {
		Membership membership = this.node.membership();
		RingId ring = membership.ringId();
		return new NodeListView((ring != null) ? ring.rep() : 0, (ring != null) ? ring.seq() : 0,
				membership.members(), List.of(), List.of());
	}

	private static QuorumView view(QuorumState state) {
		RingId ring = state.ringId();
		return new QuorumView(state.quorate(), (ring != null) ? ring.rep() : 0, (ring != null) ? ring.seq() : 0,
				state.members());
	}

	/** votequorum's notification, at a ring's activation or a change of quorum; on the node's loop. */
	private void quorumChanged(QuorumState state) {
		// Corosync activates its quorum service before votequorum: a new ring's node list comes first
		announce(state.ringId(), state.members());
		QuorumView next = view(state);
		this.view = next;
		for (QuorumSession tracker : this.trackers) {
			tracker.quorumChanged(next);
		}
	}

	private void membershipChanged(Membership membership) {
		if (membership.synced()) {
			announce(membership.ringId(), membership.members());
		}
	}

	private void announce(@Nullable RingId ring, List<Long> members) {
		if (ring == null || ring.equals(this.announcedRing)) {
			return;
		}
		List<Long> joined = new ArrayList<>(members);
		joined.removeAll(this.announcedMembers);
		List<Long> left = new ArrayList<>(this.announcedMembers);
		left.removeAll(members);
		this.announcedRing = ring;
		this.announcedMembers = List.copyOf(members);
		NodeListView nodeList = new NodeListView(ring.rep(), ring.seq(), members, joined, left);
		for (QuorumSession tracker : this.trackers) {
			tracker.nodeListChanged(nodeList);
		}
	}

}
