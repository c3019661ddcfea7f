package io.corosync4j.engine.transport.knet;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.corosync4j.engine.config.LinkMode;
import io.corosync4j.engine.crypto.PacketCrypto;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a libknet handle does, free of sockets, threads and clocks: the hosts and their links (up to
 * eight), PING/PONG heartbeats with libknet's hysteresis (a link comes up after {@code knet_pong_count}
 * pongs, goes down when pongs stop for the pong timeout, which is ten times longer right after a link
 * went down and shrinks back over ten seconds), latency averaged over {@code knet_ping_precision}
 * samples, link choice by {@code link_mode}, one data sequence number per node shared by all links,
 * libknet's duplicate window per host (so a message sent on several links is delivered once), DATA
 * fragmentation and reassembly, and replies to PMTUD probes. Every packet is sealed and opened with a
 * {@link PacketCrypto}.
 *
 * <p>The caller passes the time to every call and sends what {@link Output#send} is given; the same
 * instance therefore runs on Netty sockets and in the deterministic simulation. One thread at a time.
 */
public final class KnetHandle {

	private static final Logger logger = LoggerFactory.getLogger(KnetHandle.class);

	public static final int MAX_LINKS = 8;

	/** The largest knet header (PING), which libknet subtracts when it computes the data MTU. */
	private static final int LARGEST_HEADER = KnetPacket.Ping.SIZE;

	private static final int SEQ_MAX = 0xFFFF;

	/** libknet's duplicate window per host, in sequence numbers. */
	private static final int WINDOW = 4096;

	/** Messages being reassembled per host at once. */
	private static final int DEFRAG_BUFFERS = 32;

	/** The pong timeout multiplier right after a link went down (libknet's back-off). */
	private static final int BACKOFF = 10;

	private static final long SECOND = 1_000_000_000L;

	/** Receives what the handle sends and delivers. */
	public interface Output {

		/** Sends one sealed datagram on {@code link} to {@code target}. */
		void send(int link, InetSocketAddress target, byte[] datagram);

		/** A whole message arrived from {@code source}. */
		void deliver(long source, boolean broadcast, byte[] message);

	}

	/**
	 * One link of this node, as configured in its {@code interface} section.
	 *
	 * @param id the link number (0…7)
	 * @param priority {@code knet_link_priority} (passive mode prefers the highest)
	 * @param pingIntervalNanos {@code knet_ping_interval}
	 * @param pongTimeoutNanos {@code knet_ping_timeout}
	 * @param pongCount {@code knet_pong_count}
	 * @param pingPrecision {@code knet_ping_precision}
	 */
	public record LinkSettings(int id, int priority, long pingIntervalNanos, long pongTimeoutNanos, int pongCount,
			int pingPrecision) {

		public LinkSettings {
			if (id < 0 || id >= MAX_LINKS) {
				throw new IllegalArgumentException("link " + id + " is outside 0.." + (MAX_LINKS - 1));
			}
			pongCount = Math.max(1, pongCount);
			pingPrecision = Math.max(1, pingPrecision);
			pingIntervalNanos = Math.max(1, pingIntervalNanos);
			pongTimeoutNanos = Math.max(1, pongTimeoutNanos);
		}

	}

	private final long localNodeid;

	private final LinkMode mode;

	private final PacketCrypto crypto;

	private final Output output;

	private final int dataMtu;

	private final @Nullable LinkSettings[] links = new LinkSettings[MAX_LINKS];

	private final boolean[] enabled = new boolean[MAX_LINKS];

	private final Map<Long, Host> hosts = new TreeMap<>();

	private int txSeq;

	private long lastBackoffStep = Long.MIN_VALUE;

	private long rejected;

	private long duplicates;

	private long lastDigestWarning = Long.MIN_VALUE;

	/**
	 * @param localNodeid this node (16 bits on the wire)
	 * @param mode how messages are spread over the links
	 * @param links this node's links
	 * @param hosts every other node with its address per link number
	 * @param crypto seals and opens every packet
	 * @param dataMtu the largest user payload of one DATA packet ({@link #dataMtu(int, boolean, PacketCrypto)})
	 */
	public KnetHandle(long localNodeid, LinkMode mode, List<LinkSettings> links,
			Map<Long, Map<Integer, InetSocketAddress>> hosts, PacketCrypto crypto, int dataMtu, Output output) {
		if (localNodeid < 1 || localNodeid > 0xFFFF) {
			throw new IllegalArgumentException("knet node ids are 1..65535, not " + localNodeid);
		}
		this.localNodeid = localNodeid;
		this.mode = mode;
		this.crypto = crypto;
		this.dataMtu = dataMtu;
		this.output = output;
		for (LinkSettings link : links) {
			this.links[link.id()] = link;
			this.enabled[link.id()] = true;
		}
		setHosts(hosts);
	}

	/**
	 * libknet's {@code calc_max_data_outlen}: the user bytes one DATA packet carries on a path of
	 * {@code pathMtu} (IP packet size) with this crypto.
	 */
	public static int dataMtu(int pathMtu, boolean ipv6, PacketCrypto crypto) {
		int available = pathMtu - (ipv6 ? 40 : 20) - 8;
		int overhead = crypto.overhead(0);
		if (overhead == 0) {
			return available - LARGEST_HEADER;
		}
		// salt + MAC around whole cipher blocks, one byte short of a full block of padding
		int fixed = overhead - 16;
		int blocks = available - fixed;
		blocks = blocks - (blocks % 16) - 1;
		return blocks - LARGEST_HEADER;
	}

	/** {@link #dataMtu(int, boolean, PacketCrypto)} for the address family of {@code address}. */
	public static int dataMtu(int pathMtu, InetSocketAddress address, PacketCrypto crypto) {
		return dataMtu(pathMtu, address.getAddress() instanceof Inet6Address, crypto);
	}

	/**
	 * Replaces the hosts and their addresses (a configuration reload). Hosts that stay keep their link
	 * state; a link whose address changed starts over.
	 */
	public void setHosts(Map<Long, Map<Integer, InetSocketAddress>> next) {
		this.hosts.keySet().retainAll(next.keySet());
		next.forEach((nodeid, addresses) -> {
			if (nodeid == this.localNodeid) {
				return;
			}
			if (nodeid < 1 || nodeid > 0xFFFF) {
				throw new IllegalArgumentException("knet node ids are 1..65535, not " + nodeid);
			}
			Host host = this.hosts.computeIfAbsent(nodeid, Host::new);
			for (int id = 0; id < MAX_LINKS; id++) {
				LinkSettings settings = this.links[id];
				InetSocketAddress address = addresses.get(id);
				HostLink old = host.links[id];
				if (settings == null || address == null) {
					host.links[id] = null;
				}
				else if (old == null || !old.address.equals(address)) {
					host.links[id] = new HostLink(settings, address);
				}
			}
			host.updateActiveLinks();
		});
	}

	public int dataMtu() {
		return this.dataMtu;
	}

	public String cryptoImplementation() {
		return this.crypto.implementation();
	}

	/** Whether at least one link to {@code nodeid} is up (this node always reaches itself). */
	public boolean reachable(long nodeid) {
		Host host = this.hosts.get(nodeid);
		return nodeid == this.localNodeid || (host != null && host.reachable);
	}

	/** Packets that were not knet packets, came from unknown hosts or on a link the host does not have. */
	public long rejected() {
		return this.rejected;
	}

	/** Packets that failed authentication: sealed with another key or other crypto settings. */
	public long invalidDigests() {
		return this.crypto.rejected();
	}

	/** DATA packets dropped as already delivered (the same message over another link). */
	public long duplicates() {
		return this.duplicates;
	}

	/**
	 * Enables or disables one of this node's links ({@code knet_link_set_enable}): a disabled link sends
	 * nothing, drops what arrives on it and is down for every host, so the peers see it go down too.
	 */
	public void setLinkEnabled(int link, boolean on) {
		if (link < 0 || link >= MAX_LINKS || this.links[link] == null) {
			throw new IllegalArgumentException("this node has no link " + link);
		}
		if (this.enabled[link] == on) {
			return;
		}
		this.enabled[link] = on;
		logger.info("link: {} is {}", link, on ? "enabled" : "disabled");
		for (Host host : this.hosts.values()) {
			HostLink hostLink = host.links[link];
			if (hostLink != null) {
				linkDown(host, hostLink);
			}
		}
	}

	public boolean linkEnabled(int link) {
		return link >= 0 && link < MAX_LINKS && this.enabled[link];
	}

	/** Every host link, ascending by node and link. */
	public List<KnetLinkStats> linkStats() {
		List<KnetLinkStats> stats = new ArrayList<>();
		for (Host host : this.hosts.values()) {
			for (HostLink link : host.links) {
				if (link != null) {
					stats.add(link.snapshot(host.nodeid, this.enabled[link.settings.id()], this.dataMtu));
				}
			}
		}
		return stats;
	}

	// ---------------------------------------------------------------------------------------------
	// Sending

	/**
	 * Sends {@code message} to every reachable host (not to this node: the caller loops it back).
	 * @return how many hosts it went to
	 */
	public int broadcast(byte[] message, long now) {
		// as libknet: with nobody reachable the sequence does not move, so a restarted node's first
		// pings carry 0 and make the others forget its previous incarnation's numbers
		if (this.hosts.values().stream().noneMatch((host) -> host.reachable)) {
			return 0;
		}
		int seq = nextSequence(now);
		int sent = 0;
		for (Host host : this.hosts.values()) {
			if (host.reachable) {
				send(host, seq, true, message);
				sent++;
			}
		}
		return sent;
	}

	/**
	 * Sends {@code message} to one host.
	 * @return {@code false} when no link to it is up
	 */
	public boolean unicast(long nodeid, byte[] message, long now) {
		Host host = this.hosts.get(nodeid);
		if (host == null || !host.reachable) {
			return false;
		}
		send(host, nextSequence(now), false, message);
		return true;
	}

	private int nextSequence(long now) {
		this.txSeq = (this.txSeq + 1) & SEQ_MAX;
		if (this.txSeq == 0) {
			// 0 tells receivers to clear their window: a restarted node
			this.txSeq = 1;
		}
		if (this.txSeq % (SEQ_MAX / 8) == 0) {
			// keeps hosts that see little traffic in step with the sequence, as libknet does
			for (Host host : this.hosts.values()) {
				for (HostLink link : host.links) {
					if (link != null && this.enabled[link.settings.id()]) {
						ping(host, link, now, false);
					}
				}
			}
		}
		return this.txSeq;
	}

	private void send(Host host, int seq, boolean broadcast, byte[] message) {
		int count = Math.max(1, (message.length + this.dataMtu - 1) / this.dataMtu);
		if (count > 255) {
			logger.warn("A {}-byte message needs {} knet fragments (at most 255); not sent", message.length, count);
			return;
		}
		switch (this.mode) {
			case ACTIVE -> {
				for (HostLink link : host.active) {
					sendData(link, seq, broadcast, count, message);
				}
			}
			case RR -> {
				host.roundRobin = (host.roundRobin + 1) % host.active.size();
				HostLink link = host.active.get(host.roundRobin);
				sendData(link, seq, broadcast, count, message);
			}
			case PASSIVE -> sendData(host.active.get(0), seq, broadcast, count, message);
		}
	}

	private void sendData(HostLink link, int seq, boolean broadcast, int count, byte[] message) {
		for (int i = 0; i < count; i++) {
			int from = i * this.dataMtu;
			int length = Math.min(message.length - from, this.dataMtu);
			byte[] plain = new byte[KnetPacket.Data.SIZE + length];
			KnetPacket.Data.header(plain, (int) this.localNodeid, seq, broadcast, count, (count == 1) ? 0 : i + 1, 0);
			System.arraycopy(message, from, plain, KnetPacket.Data.SIZE, length);
			transmit(link, plain, KnetCounter.TX_DATA_PACKETS, KnetCounter.TX_DATA_BYTES);
		}
	}

	private void transmit(HostLink link, byte[] plain, KnetCounter packets, KnetCounter bytes) {
		byte[] sealed = this.crypto.encrypt(plain, 0, plain.length);
		link.count(packets, 1);
		link.count(bytes, sealed.length);
		this.output.send(link.settings.id(), link.address, sealed);
	}

	/** The operating system refused a datagram for {@code target} on {@code link}. */
	public void sendFailed(int link, InetSocketAddress target) {
		for (Host host : this.hosts.values()) {
			HostLink hostLink = host.links[link];
			if (hostLink != null && hostLink.address.equals(target)) {
				hostLink.count(KnetCounter.TX_DATA_ERRORS, 1);
			}
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Heartbeats

	/**
	 * Sends the pings that are due and takes down the links whose pongs stopped. Call it at least every
	 * 200 ms, or more often for ping intervals below that.
	 */
	public void tick(long now) {
		if (this.lastBackoffStep == Long.MIN_VALUE || now - this.lastBackoffStep >= SECOND) {
			this.lastBackoffStep = now;
			for (Host host : this.hosts.values()) {
				for (HostLink link : host.links) {
					if (link != null && this.enabled[link.settings.id()]) {
						link.stepBackoff();
					}
				}
			}
		}
		for (Host host : this.hosts.values()) {
			for (HostLink link : host.links) {
				if (link == null || !this.enabled[link.settings.id()]) {
					continue;
				}
				if (!link.pinged || now - link.lastPing >= link.settings.pingIntervalNanos()) {
					ping(host, link, now, true);
				}
				if (link.ponged && now - link.lastPong >= link.timeoutAdjusted) {
					linkDown(host, link);
				}
			}
		}
	}

	private void ping(Host host, HostLink link, long now, boolean timed) {
		byte[] time = new byte[16];
		for (int i = 0; i < 8; i++) {
			time[i] = (byte) (now >>> (8 * i));
		}
		link.pinged = true;
		link.lastPing = now;
		// sequence 0 until the host has answered a ping carrying it: only then is it certain to have
		// forgotten an earlier incarnation's numbers (libknet sends its current number from the start, so
		// when its first pings are lost a restarted node's data is taken for duplicates)
		int seq = host.introduced ? this.txSeq : 0;
		byte[] plain = new KnetPacket.Ping(false, (int) this.localNodeid, link.settings.id(), time, seq,
				timed ? 1 : 0).encode();
		transmit(link, plain, KnetCounter.TX_PING_PACKETS, KnetCounter.TX_PING_BYTES);
	}

	private void linkDown(Host host, HostLink link) {
		link.receivedPongs = 0;
		link.ponged = false;
		link.backoff = BACKOFF;
		link.adjustTimeout();
		if (link.connected) {
			link.connected = false;
			link.downCount++;
			logger.info("host: {} link: {} is down", host.nodeid, link.settings.id());
			host.updateActiveLinks();
		}
	}

	private void linkUp(Host host, HostLink link) {
		link.connected = true;
		link.upCount++;
		logger.info("host: {} link: {} is up", host.nodeid, link.settings.id());
		host.updateActiveLinks();
	}

	// ---------------------------------------------------------------------------------------------
	// Receiving

	/** Handles one datagram that arrived on {@code link} from {@code sender}. */
	public void received(int link, InetSocketAddress sender, byte[] datagram, long now) {
		byte[] plain = this.crypto.decrypt(datagram, 0, datagram.length);
		if (plain == null) {
			warnDigest(sender, now);
			return;
		}
		KnetPacket packet = KnetPacket.decode(plain);
		Host host = (packet != null) ? this.hosts.get((long) packet.node()) : null;
		HostLink hostLink = (host != null && link >= 0 && link < MAX_LINKS) ? host.links[link] : null;
		if (packet == null || hostLink == null) {
			this.rejected++;
			logger.debug("Dropped a packet on link {} from {}: {}", link, sender,
					(packet == null) ? KnetPacket.rejection(plain) : "unknown host " + packet.node());
			return;
		}
		if (!this.enabled[link]) {
			return;
		}
		int length = plain.length;
		if (packet instanceof KnetPacket.Ping ping) {
			if (ping.pong()) {
				hostLink.count(KnetCounter.RX_PONG_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PONG_BYTES, length);
				pong(host, hostLink, ping, now);
			}
			else {
				hostLink.count(KnetCounter.RX_PING_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PING_BYTES, length);
				host.pingSequence(ping);
				transmit(hostLink, ping.answer((int) this.localNodeid).encode(), KnetCounter.TX_PONG_PACKETS,
						KnetCounter.TX_PONG_BYTES);
			}
		}
		else if (packet instanceof KnetPacket.Pmtud probe) {
			hostLink.count(KnetCounter.RX_PMTU_PACKETS, 1);
			hostLink.count(KnetCounter.RX_PMTU_BYTES, length);
			// the data MTU here comes from the interface or knet_mtu; probes from others are answered,
			// because a host that gets no replies loses its valid MTU and stops sending to this one
			if (!probe.reply()) {
				transmit(hostLink, probe.answer((int) this.localNodeid).encode(), KnetCounter.TX_PMTU_PACKETS,
						KnetCounter.TX_PMTU_BYTES);
			}
		}
		else {
			hostLink.count(KnetCounter.RX_DATA_PACKETS, 1);
			hostLink.count(KnetCounter.RX_DATA_BYTES, length);
			data(host, hostLink, (KnetPacket.Data) packet);
		}
	}

	private void pong(Host host, HostLink link, KnetPacket.Ping pong, long now) {
		if (pong.seq() == 0) {
			host.introduced = true;
		}
		link.ponged = true;
		link.lastPong = now;
		long sent = 0;
		for (int i = 7; i >= 0; i--) {
			sent = (sent << 8) | (pong.time()[i] & 0xFF);
		}
		long latencyMicros = Math.max(0, (now - sent) / 1000);
		if (latencyMicros * 1000 > link.settings.pongTimeoutNanos()) {
			logger.debug("Pong from host {} link {} took longer than the pong timeout; ignored", host.nodeid,
					link.settings.id());
			return;
		}
		link.sample(latencyMicros);
		if (!link.connected && link.latencyAve * 1000 < link.timeoutAdjusted) {
			if (link.receivedPongs >= link.settings.pongCount()) {
				linkUp(host, link);
			}
			else {
				link.receivedPongs++;
			}
		}
	}

	private void data(Host host, HostLink link, KnetPacket.Data data) {
		if (data.channel() != 0) {
			this.rejected++;
			return;
		}
		if (!host.reachable) {
			// libknet's fast data up: data during ping/pong activity proves the link
			if (link.receivedPongs == 0) {
				logger.debug("Source host {} not reachable yet. Discarding packet.", host.nodeid);
				return;
			}
			linkUp(host, link);
		}
		host.gotData = true;
		if (!host.fresh(data.seq(), false)) {
			this.duplicates++;
			return;
		}
		byte[] message = data.payload();
		if (data.fragments() > 1) {
			message = host.reassemble(data);
			if (message == null) {
				return;
			}
		}
		host.mark(data.seq(), false);
		this.output.deliver(host.nodeid, data.broadcast(), message);
	}

	private void warnDigest(InetSocketAddress sender, long now) {
		if (this.lastDigestWarning == Long.MIN_VALUE || now - this.lastDigestWarning > 10 * SECOND) {
			this.lastDigestWarning = now;
			logger.warn("Invalid digest from {}: the packet does not authenticate with this node's authkey "
					+ "(do the nodes have different keys or crypto settings?); {} dropped so far", sender,
					this.crypto.rejected());
		}
	}

	// ---------------------------------------------------------------------------------------------

	/** A remote host: its links, the links in use, its sequence window and reassembly buffers. */
	private final class Host {

		final long nodeid;

		final @Nullable HostLink[] links = new HostLink[MAX_LINKS];

		/** The links data goes out on: passive mode's best one, or every connected one. */
		List<HostLink> active = List.of();

		boolean reachable;

		int roundRobin;

		/** The newest sequence number seen, 0 before any. */
		int rxSeq;

		final byte[] delivered = new byte[WINDOW];

		final byte[] reassembled = new byte[WINDOW];

		final Defrag[] defrag = new Defrag[DEFRAG_BUFFERS];

		int timedPingSeq;

		/** Whether the host answered a ping with sequence 0 from this handle. */
		boolean introduced;

		int untimedPingSeq;

		boolean gotData;

		Host(long nodeid) {
			this.nodeid = nodeid;
		}

		void updateActiveLinks() {
			List<HostLink> next = new ArrayList<>();
			for (HostLink link : this.links) {
				if (link == null || !link.connected || !KnetHandle.this.enabled[link.settings.id()]) {
					continue;
				}
				if (KnetHandle.this.mode != LinkMode.PASSIVE) {
					next.add(link);
				}
				else if (next.isEmpty() || link.settings.priority() > next.get(0).settings.priority()) {
					next = new ArrayList<>(List.of(link));
				}
			}
			this.active = List.copyOf(next);
			if (KnetHandle.this.mode == LinkMode.PASSIVE && !next.isEmpty()) {
				logger.info("host: {} (passive) best link: {} (pri: {})", this.nodeid, next.get(0).settings.id(),
						next.get(0).settings.priority());
			}
			else if (!next.isEmpty()) {
				logger.info("host: {} has {} active links", this.nodeid, next.size());
			}
			boolean now = !next.isEmpty();
			if (!now && this.reachable) {
				logger.warn("host: {} has no active links", this.nodeid);
				clear(0);
			}
			this.reachable = now;
		}

		/** A ping carries the sender's sequence number: 0 (or an untimed ping without data since) resets. */
		void pingSequence(KnetPacket.Ping ping) {
			int seq = ping.seq();
			if (ping.timed() == 0) {
				if (seq != this.untimedPingSeq) {
					this.untimedPingSeq = seq;
					boolean wipe = !this.gotData;
					this.gotData = false;
					if (wipe) {
						clear(seq);
					}
				}
				fresh(seq, false);
			}
			else if (seq != this.timedPingSeq) {
				this.timedPingSeq = seq;
				if (seq == 0) {
					clear(0);
				}
			}
		}

		void clear(int seq) {
			Arrays.fill(this.delivered, (byte) 0);
			Arrays.fill(this.reassembled, (byte) 0);
			this.rxSeq = seq;
		}

		/**
		 * Whether {@code seq} was not yet delivered (or, with {@code defrag}, not yet taken into a
		 * reassembly buffer), moving the window forward when it is newer than any seen: libknet's
		 * {@code _seq_num_lookup}.
		 */
		boolean fresh(int seq, boolean defrag) {
			if (this.rxSeq == 0) {
				this.rxSeq = seq;
			}
			reclaimDefrag();
			// how far seq lies behind the newest; a seq ahead of it gives a large distance
			int behind = ((seq < this.rxSeq) ? (SEQ_MAX - seq) + this.rxSeq : this.rxSeq - seq) & SEQ_MAX;
			int head = seq % WINDOW;
			if (behind < WINDOW) {
				return ((defrag) ? this.reassembled : this.delivered)[head] == 0;
			}
			if (behind <= SEQ_MAX - WINDOW) {
				// far away in either direction: the sender restarted or we lost track; start over
				clear(seq);
			}
			// newer: free the slots between the old newest and seq for reuse
			for (int slot = (this.rxSeq + 1) % WINDOW; ; slot = (slot + 1) % WINDOW) {
				this.delivered[slot] = 0;
				this.reassembled[slot] = 0;
				if (slot == head) {
					break;
				}
			}
			this.rxSeq = seq;
			return true;
		}

		void mark(int seq, boolean defrag) {
			((defrag) ? this.reassembled : this.delivered)[seq % WINDOW] = 1;
		}

		private void reclaimDefrag() {
			for (int i = 0; i < DEFRAG_BUFFERS; i++) {
				Defrag buffer = this.defrag[i];
				if (buffer != null) {
					int behind = (this.rxSeq - buffer.seq) & SEQ_MAX;
					if (behind > DEFRAG_BUFFERS + 1 && behind != SEQ_MAX) {
						this.defrag[i] = null;
					}
				}
			}
		}

		byte @Nullable [] reassemble(KnetPacket.Data data) {
			if (data.fragment() < 1 || data.fragment() > data.fragments()) {
				KnetHandle.this.rejected++;
				return null;
			}
			int free = -1;
			Defrag buffer = null;
			for (int i = 0; i < DEFRAG_BUFFERS; i++) {
				Defrag candidate = this.defrag[i];
				if (candidate != null && candidate.seq == data.seq()) {
					buffer = candidate;
					free = i;
					break;
				}
				if (candidate == null && free < 0) {
					free = i;
				}
			}
			if (buffer == null) {
				if (!fresh(data.seq(), true)) {
					return null;
				}
				mark(data.seq(), true);
				if (free < 0) {
					// all busy: the oldest message gives way, as in libknet
					free = oldestDefrag();
				}
				buffer = new Defrag(data.seq(), data.fragments());
				this.defrag[free] = buffer;
			}
			if (buffer.pieces.length != data.fragments()) {
				this.defrag[free] = null;
				KnetHandle.this.rejected++;
				return null;
			}
			if (buffer.pieces[data.fragment() - 1] == null) {
				buffer.pieces[data.fragment() - 1] = data.payload();
				buffer.received++;
			}
			if (buffer.received < buffer.pieces.length) {
				return null;
			}
			this.defrag[free] = null;
			int length = 0;
			for (byte[] piece : buffer.pieces) {
				length += piece.length;
			}
			byte[] message = new byte[length];
			int at = 0;
			for (byte[] piece : buffer.pieces) {
				System.arraycopy(piece, 0, message, at, piece.length);
				at += piece.length;
			}
			return message;
		}

		private int oldestDefrag() {
			int oldest = 0;
			int oldestBehind = -1;
			for (int i = 0; i < DEFRAG_BUFFERS; i++) {
				int behind = (this.rxSeq - this.defrag[i].seq) & SEQ_MAX;
				if (behind > oldestBehind) {
					oldest = i;
					oldestBehind = behind;
				}
			}
			return oldest;
		}

	}

	/** A message being reassembled. */
	private static final class Defrag {

		final int seq;

		final byte[][] pieces;

		int received;

		Defrag(int seq, int fragments) {
			this.seq = seq;
			this.pieces = new byte[fragments][];
		}

	}

	/** One link to one host. */
	private static final class HostLink {

		final LinkSettings settings;

		final InetSocketAddress address;

		boolean connected;

		boolean pinged;

		long lastPing;

		boolean ponged;

		long lastPong;

		int receivedPongs;

		int backoff = BACKOFF;

		long timeoutAdjusted;

		long latencyAve;

		long latencyMin = 0xFFFF_FFFFL;

		long latencyMax;

		long samples;

		long upCount;

		long downCount;

		final long[] counters = new long[KnetCounter.values().length];

		HostLink(LinkSettings settings, InetSocketAddress address) {
			this.settings = settings;
			this.address = address;
			adjustTimeout();
		}

		void stepBackoff() {
			if (this.backoff > 1) {
				this.backoff--;
			}
			adjustTimeout();
		}

		void adjustTimeout() {
			this.timeoutAdjusted = this.settings.pongTimeoutNanos() * this.backoff + this.latencyAve * 1000 * 2;
		}

		void sample(long latencyMicros) {
			this.samples = Math.min(this.samples + 1, this.settings.pingPrecision());
			this.latencyAve = (this.latencyAve * (this.samples - 1) + latencyMicros) / this.samples;
			this.latencyMax = Math.max(this.latencyMax, this.latencyAve);
			this.latencyMin = Math.min(this.latencyMin, this.latencyAve);
		}

		void count(KnetCounter counter, long amount) {
			this.counters[counter.ordinal()] += amount;
		}

		KnetLinkStats snapshot(long nodeid, boolean enabled, int mtu) {
			Map<KnetCounter, Long> values = new EnumMap<>(KnetCounter.class);
			for (KnetCounter counter : KnetCounter.values()) {
				values.put(counter, this.counters[counter.ordinal()]);
			}
			return new KnetLinkStats(nodeid, this.settings.id(), this.address.getAddress().getHostAddress(), enabled,
					this.connected, mtu, this.latencyMin, this.latencyMax, this.latencyAve, this.samples, this.upCount,
					this.downCount, this.timeoutAdjusted / 1_000_000, values);
		}

	}

}
