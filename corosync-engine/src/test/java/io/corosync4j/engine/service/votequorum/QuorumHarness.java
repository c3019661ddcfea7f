package io.corosync4j.engine.service.votequorum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.NodeInfo;
import io.corosync4j.engine.service.votequorum.VotequorumMessages.Reconfigure;
import io.corosync4j.engine.totem.wire.RingId;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * votequorum engines joined by an idealised ring: each partition delivers what its members send in one
 * agreed order, and a membership change runs votequorum's part of synchronization (init, every member's
 * nodeinfo, activate) as Corosync's sync does. Enough to act out the votequorum man page; the real ring
 * is covered by the socket and interop tests.
 */
final class QuorumHarness {

	/** One node: its engine and what it asked of its host. */
	static final class Member implements VoteQuorum.Host {

		final long nodeid;

		final List<byte[]> outbox = new ArrayList<>();

		final List<Boolean> notifications = new ArrayList<>();

		long storedBarrier;

		Long lastManStandingTimer;

		VoteQuorum engine;

		Member(long nodeid, VotequorumSettings settings) {
			this.nodeid = nodeid;
			this.engine = new VoteQuorum(nodeid, settings, 0, this);
		}

		@Override
		public void send(byte[] message) {
			this.outbox.add(message);
		}

		@Override
		public void startLastManStandingTimer(long millis) {
			this.lastManStandingTimer = millis;
		}

		@Override
		public void cancelLastManStandingTimer() {
			this.lastManStandingTimer = null;
		}

		@Override
		public void quorumNotification() {
			if (this.engine != null) {
				this.notifications.add(this.engine.quorate());
			}
		}

		@Override
		public void storeExpectedVotesBarrier(long barrier) {
			this.storedBarrier = barrier;
		}

		QuorumState state() {
			return this.engine.state();
		}

	}

	private final Map<Long, Member> members = new LinkedHashMap<>();

	private long ringSeq = 4;

	/** Starts the nodes with these ids (each first alone in its own ring). */
	QuorumHarness start(VotequorumSettings settings, long... nodeids) {
		for (long nodeid : nodeids) {
			Member member = new Member(nodeid, settings);
			this.members.put(nodeid, member);
			form(nodeid);
		}
		return this;
	}

	Member node(long nodeid) {
		Member member = this.members.get(nodeid);
		assertThat(member).as("node %d", nodeid).isNotNull();
		return member;
	}

	/** Stops a node without a word: it simply is not in the next rings. */
	void kill(long nodeid) {
		this.members.remove(nodeid);
	}

	/** The nodes form one ring: synchronization, then what they queued meanwhile. */
	void form(long... nodeids) {
		Set<Long> ring = new TreeSet<>();
		for (long nodeid : nodeids) {
			ring.add(nodeid);
		}
		List<Long> list = List.copyOf(ring);
		RingId ringId = new RingId(list.get(0), this.ringSeq += 4);
		// messages queued before the change (start, runtime requests) are delivered in the old ring's
		// order if it had them; here they go first in the new ring, as a singleton's would
		deliverQueued(list);
		for (long nodeid : list) {
			node(nodeid).engine.syncInit(list, ringId);
		}
		for (long nodeid : list) {
			node(nodeid).engine.syncProcess();
		}
		deliverQueued(list);
		for (long nodeid : list) {
			node(nodeid).engine.syncActivate();
		}
	}

	/** Delivers everything the members queued, in one agreed order (round robin by node). */
	void deliverQueued(List<Long> ring) {
		boolean any = true;
		while (any) {
			any = false;
			for (long sender : ring) {
				Member from = node(sender);
				if (from.outbox.isEmpty()) {
					continue;
				}
				byte[] message = from.outbox.remove(0);
				any = true;
				for (long receiver : ring) {
					deliver(node(receiver).engine, sender, message);
				}
			}
		}
	}

	/** The last-man-standing window of {@code nodeid} expires. */
	void expireLastManStanding(long... nodeids) {
		for (long nodeid : nodeids) {
			Member member = node(nodeid);
			assertThat(member.lastManStandingTimer).as("node %d's LMS timer", nodeid).isNotNull();
			member.lastManStandingTimer = null;
			member.engine.lastManStandingExpired();
		}
	}

	static void deliver(VoteQuorum engine, long sender, byte[] message) {
		int id = ServiceHeader.read(message, false).getInt(0);
		assertThat(id >>> 16).isEqualTo(ServiceEngine.VOTEQUORUM);
		switch (id & 0xFFFF) {
			case VotequorumMessages.NODEINFO -> engine.nodeInfo(sender, NodeInfo.decode(message, false));
			case VotequorumMessages.RECONFIGURE -> engine.reconfigure(sender, Reconfigure.decode(message, false));
			case VotequorumMessages.QDEVICE_REG ->
				engine.qdeviceRegistration(sender, VotequorumMessages.QdeviceRegistration.decode(message, false));
			default -> throw new AssertionError("unexpected votequorum function " + (id & 0xFFFF));
		}
	}

}
