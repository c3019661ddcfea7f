package io.corosync4j.engine.ipc.votequorum;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.ipc.IpcConnection;
import io.corosync4j.engine.ipc.IpcService;
import io.corosync4j.engine.ipc.Registrations;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.service.votequorum.VotequorumService;

/**
 * The {@code votequorum} IPC service of a node ({@code libvotequorum}), on the node's
 * {@link VotequorumService}; Corosync serves it only with {@code provider: corosync_votequorum}, so a node
 * without votequorum has none. Listens to votequorum until the server stops serving it.
 */
public final class VotequorumIpcService implements IpcService {

	private final VotequorumService votequorum;

	final Set<VotequorumSession> trackers = ConcurrentHashMap.newKeySet();

	/** What it listens to, removed when the server stops serving it. */
	private final Registrations registrations = new Registrations();

	public VotequorumIpcService(VotequorumService votequorum) {
		this.votequorum = votequorum;
		this.registrations.add(votequorum.addListener(this::quorumChanged));
		this.registrations.add(votequorum.addTrackingListener(new VotequorumService.TrackingListener() {

			@Override
			public void expectedVotesChanged(long expectedVotes) {
				for (VotequorumSession tracker : VotequorumIpcService.this.trackers) {
					tracker.expectedVotesChanged(expectedVotes);
				}
			}

			@Override
			public void nodeListChanged(QuorumState state) {
				for (VotequorumSession tracker : VotequorumIpcService.this.trackers) {
					tracker.nodeListChanged(state);
				}
			}

		}));
	}

	@Override
	public void close() {
		this.registrations.close();
	}

	@Override
	public String name() {
		return "votequorum";
	}

	@Override
	public IpcSession connected(IpcConnection connection) {
		return new VotequorumSession(this, connection);
	}

	VotequorumService votequorum() {
		return this.votequorum;
	}

	private void quorumChanged(QuorumState state) {
		for (VotequorumSession tracker : this.trackers) {
			tracker.quorumChanged(state);
		}
	}

}
