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
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * instance therefore runs on Netty sockets and in the deterministic simulation. Packets live in buffers
 * from the given allocator (pooled on sockets), are sealed and opened in place, and a fragment is sealed
 * once for all the hosts and links it goes to. One thread at a time; {@link #close} releases what is held.
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

		/** Sends one sealed datagram on {@code link} to {@code target}; the datagram is the receiver's to release. */
		void send(int link, InetSocketAddress target, ByteBuf datagram);

		/** A whole message arrived from {@code source}; the buffer is valid during the call only. */
		void deliver(long source, boolean broadcast, ByteBuf message);

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

	private final ByteBufAllocator allocator;

	/** Where a received packet's ciphertext is copied to be opened (received packets are handled one at a time). */
	private byte[] ciphertext = new byte[2048];

	private int dataMtu;

	/** Where the fragment being sent goes, reused. */
	private final List<HostLink> targets = new ArrayList<>();

	private final @Nullable LinkSettings[] links = new LinkSettings[MAX_LINKS];

	private final boolean[] enabled = new boolean[MAX_LINKS];

	private final Map<Long, Host> hosts = new TreeMap<>();

	/** The hosts ascending, for loops on the packet path that must not allocate an iterator. */
	private Host[] hostList = new Host[0];

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
	 * @param allocator where packet buffers come from (heap buffers are asked for)
	 */
	public KnetHandle(long localNodeid, LinkMode mode, List<LinkSettings> links,
			Map<Long, Map<Integer, InetSocketAddress>> hosts, PacketCrypto crypto, int dataMtu,
			ByteBufAllocator allocator, Output output) {
		if (localNodeid < 1 || localNodeid > 0xFFFF) {
			throw new IllegalArgumentException("knet node ids are 1..65535, not " + localNodeid);
		}
		this.localNodeid = localNodeid;
		this.mode = mode;
		this.crypto = crypto;
		this.dataMtu = dataMtu;
		this.allocator = allocator;
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
		this.hosts.values().removeIf((host) -> {
			if (next.containsKey(host.nodeid)) {
				return false;
			}
			host.releaseDefrag();
			return true;
		});
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
		this.hostList = this.hosts.values().toArray(Host[]::new);
	}

	public int dataMtu() {
		return this.dataMtu;
	}

	/** Changes the data MTU (the path MTU changed); messages sent from now on are cut to it. */
	public void setDataMtu(int dataMtu) {
		if (dataMtu < 1) {
			throw new IllegalArgumentException("data MTU " + dataMtu);
		}
		if (dataMtu != this.dataMtu) {
			logger.info("Global data MTU changed to: {}", dataMtu);
			this.dataMtu = dataMtu;
		}
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
		for (Host host : this.hostList) {
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
		for (Host host : this.hostList) {
			for (HostLink link : host.links) {
				if (link != null) {
					stats.add(link.snapshot(host.nodeid, this.enabled[link.settings.id()], this.dataMtu));
				}
			}
		}
		return stats;
	}

	/** Releases the messages being reassembled. */
	public void close() {
		for (Host host : this.hostList) {
			host.releaseDefrag();
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Sending

	/**
	 * Sends the readable bytes of {@code message} to every reachable host (not to this node: the caller
	 * loops it back). The message is not consumed.
	 * @return how many hosts it went to
	 */
	public int broadcast(ByteBuf message, long now) {
		this.targets.clear();
		int hosts = 0;
		for (Host host : this.hostList) {
			if (host.reachable) {
				chooseLinks(host);
				hosts++;
			}
		}
		// as libknet: with nobody reachable the sequence does not move, so a restarted node's first
		// pings carry 0 and make the others forget its previous incarnation's numbers
		if (hosts > 0) {
			send(message, nextSequence(now), true);
		}
		return hosts;
	}

	/**
	 * Sends the readable bytes of {@code message} to one host. The message is not consumed.
	 * @return {@code false} when no link to it is up
	 */
	public boolean unicast(long nodeid, ByteBuf message, long now) {
		Host host = this.hosts.get(nodeid);
		if (host == null || !host.reachable) {
			return false;
		}
		this.targets.clear();
		chooseLinks(host);
		send(message, nextSequence(now), false);
		return true;
	}

	/** Adds the links a message to {@code host} goes out on, by the link mode. */
	private void chooseLinks(Host host) {
		switch (this.mode) {
			case ACTIVE -> this.targets.addAll(host.active);
			case RR -> {
				host.roundRobin = (host.roundRobin + 1) % host.active.size();
				this.targets.add(host.active.get(host.roundRobin));
			}
			case PASSIVE -> this.targets.add(host.active.get(0));
		}
	}

	private int nextSequence(long now) {
		this.txSeq = (this.txSeq + 1) & SEQ_MAX;
		if (this.txSeq == 0) {
			// 0 tells receivers to clear their window: a restarted node
			this.txSeq = 1;
		}
		if (this.txSeq % (SEQ_MAX / 8) == 0) {
			// keeps hosts that see little traffic in step with the sequence, as libknet does
			for (Host host : this.hostList) {
				for (HostLink link : host.links) {
					if (link != null && this.enabled[link.settings.id()]) {
						ping(host, link, now, false);
					}
				}
			}
		}
		return this.txSeq;
	}

	/** Cuts the message into fragments, seals each once and sends it to every chosen link. */
	private void send(ByteBuf message, int seq, boolean broadcast) {
		int total = message.readableBytes();
		int count = Math.max(1, (total + this.dataMtu - 1) / this.dataMtu);
		if (count > 255) {
			logger.warn("A {}-byte message needs {} knet fragments (at most 255); not sent", total, count);
			return;
		}
		for (int i = 0; i < count; i++) {
			int from = i * this.dataMtu;
			int length = Math.min(total - from, this.dataMtu);
			ByteBuf plain = this.allocator.heapBuffer(KnetPacket.Data.SIZE + length);
			KnetPacket.writeData(plain, (int) this.localNodeid, seq, broadcast, count, (count == 1) ? 0 : i + 1, 0);
			plain.writeBytes(message, message.readerIndex() + from, length);
			ByteBuf sealed = seal(plain);
			int size = sealed.readableBytes();
			for (int t = 0; t < this.targets.size(); t++) {
				HostLink link = this.targets.get(t);
				link.count(KnetCounter.TX_DATA_PACKETS, 1);
				link.count(KnetCounter.TX_DATA_BYTES, size);
				this.output.send(link.settings.id(), link.address,
						(t == this.targets.size() - 1) ? sealed : sealed.retainedDuplicate());
			}
			if (this.targets.isEmpty()) {
				sealed.release();
			}
		}
	}

	/** The sealed packet for {@code plain}, which it consumes. */
	private ByteBuf seal(ByteBuf plain) {
		if (this.crypto.passesThrough()) {
			return plain;
		}
		int length = plain.readableBytes();
		ByteBuf sealed = this.allocator.heapBuffer(length + this.crypto.overhead(length));
		try {
			int written = this.crypto.seal(plain.array(), plain.arrayOffset() + plain.readerIndex(), length,
					sealed.array(), sealed.arrayOffset() + sealed.writerIndex());
			sealed.writerIndex(sealed.writerIndex() + written);
			return sealed;
		}
		catch (RuntimeException ex) {
			sealed.release();
			throw ex;
		}
		finally {
			plain.release();
		}
	}

	/** Seals and sends a small packet (ping, pong, PMTUD reply) on one link; consumes {@code plain}. */
	private void transmit(HostLink link, ByteBuf plain, KnetCounter packets, KnetCounter bytes) {
		ByteBuf sealed = seal(plain);
		link.count(packets, 1);
		link.count(bytes, sealed.readableBytes());
		this.output.send(link.settings.id(), link.address, sealed);
	}

	/** The operating system refused a datagram for {@code target} on {@code link}. */
	public void sendFailed(int link, InetSocketAddress target) {
		for (Host host : this.hostList) {
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
			for (Host host : this.hostList) {
				for (HostLink link : host.links) {
					if (link != null && this.enabled[link.settings.id()]) {
						link.stepBackoff();
					}
				}
			}
		}
		for (Host host : this.hostList) {
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
		link.pinged = true;
		link.lastPing = now;
		// sequence 0 until the host has answered a ping carrying it: only then is it certain to have
		// forgotten an earlier incarnation's numbers (libknet sends its current number from the start, so
		// when its first pings are lost a restarted node's data is taken for duplicates)
		int seq = host.introduced ? this.txSeq : 0;
		ByteBuf plain = this.allocator.heapBuffer(KnetPacket.Ping.SIZE);
		KnetPacket.writePing(plain, (int) this.localNodeid, link.settings.id(), now, seq, timed);
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

	/** Handles one datagram that arrived on {@code link} from {@code sender}; the datagram is not consumed. */
	public void received(int link, InetSocketAddress sender, ByteBuf datagram, long now) {
		ByteBuf plain = open(datagram);
		if (plain == null) {
			warnDigest(sender, now);
			return;
		}
		try {
			handle(link, sender, plain, now);
		}
		finally {
			plain.release();
		}
	}

	/** The plain packet (a buffer to release), or {@code null} when it does not authenticate. */
	private @Nullable ByteBuf open(ByteBuf datagram) {
		if (this.crypto.passesThrough()) {
			return datagram.retainedSlice();
		}
		int length = datagram.readableBytes();
		// the ciphertext in an array of its own: pooled heap buffers share backing arrays, and the JDK
		// decrypts CBC block by block in Java, not with its intrinsic, when input and output are one array
		if (this.ciphertext.length < length) {
			this.ciphertext = new byte[Math.max(length, 2 * this.ciphertext.length)];
		}
		datagram.getBytes(datagram.readerIndex(), this.ciphertext, 0, length);
		ByteBuf plain = this.allocator.heapBuffer(length);
		int opened = this.crypto.open(this.ciphertext, 0, length, plain.array(), plain.arrayOffset() + plain.writerIndex());
		if (opened < 0) {
			plain.release();
			return null;
		}
		plain.writerIndex(plain.writerIndex() + opened);
		return plain;
	}

	private void handle(int link, InetSocketAddress sender, ByteBuf plain, long now) {
		KnetPacket.Rejection rejection = KnetPacket.rejection(plain);
		Host host = (rejection == null) ? this.hosts.get((long) KnetPacket.node(plain)) : null;
		HostLink hostLink = (host != null && link >= 0 && link < MAX_LINKS) ? host.links[link] : null;
		if (hostLink == null) {
			this.rejected++;
			logger.debug("Dropped a packet on link {} from {}: {}", link, sender,
					(rejection != null) ? rejection : "unknown host " + KnetPacket.node(plain));
			return;
		}
		if (!this.enabled[link]) {
			return;
		}
		int length = plain.readableBytes();
		switch (KnetPacket.type(plain)) {
			case KnetPacket.TYPE_PING -> {
				hostLink.count(KnetCounter.RX_PING_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PING_BYTES, length);
				host.pingSequence(KnetPacket.pingSeq(plain), KnetPacket.pingTimed(plain) != 0);
				ByteBuf pong = plain.retainedSlice(plain.readerIndex(), KnetPacket.Ping.SIZE);
				KnetPacket.answer(pong, (int) this.localNodeid);
				transmit(hostLink, pong, KnetCounter.TX_PONG_PACKETS, KnetCounter.TX_PONG_BYTES);
			}
			case KnetPacket.TYPE_PONG -> {
				hostLink.count(KnetCounter.RX_PONG_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PONG_BYTES, length);
				pong(host, hostLink, KnetPacket.pingSeq(plain), KnetPacket.pingTime(plain), now);
			}
			case KnetPacket.TYPE_PMTUD -> {
				hostLink.count(KnetCounter.RX_PMTU_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PMTU_BYTES, length);
				// the data MTU here comes from the interface or knet_mtu; probes from others are answered,
				// because a host that gets no replies loses its valid MTU and stops sending to this one
				ByteBuf reply = plain.retainedSlice(plain.readerIndex(), KnetPacket.Pmtud.SIZE);
				KnetPacket.answer(reply, (int) this.localNodeid);
				transmit(hostLink, reply, KnetCounter.TX_PMTU_PACKETS, KnetCounter.TX_PMTU_BYTES);
			}
			case KnetPacket.TYPE_PMTUD_REPLY -> {
				hostLink.count(KnetCounter.RX_PMTU_PACKETS, 1);
				hostLink.count(KnetCounter.RX_PMTU_BYTES, length);
			}
			default -> {
				hostLink.count(KnetCounter.RX_DATA_PACKETS, 1);
				hostLink.count(KnetCounter.RX_DATA_BYTES, length);
				data(host, hostLink, plain);
			}
		}
	}

	private void pong(Host host, HostLink link, int seq, long sent, long now) {
		if (seq == 0) {
			host.introduced = true;
		}
		link.ponged = true;
		link.lastPong = now;
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

	private void data(Host host, HostLink link, ByteBuf data) {
		if (KnetPacket.dataChannel(data) != 0) {
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
		int seq = KnetPacket.dataSeq(data);
		if (!host.fresh(seq, false)) {
			this.duplicates++;
			return;
		}
		boolean broadcast = KnetPacket.dataBroadcast(data);
		int fragments = KnetPacket.dataFragments(data);
		int fragment = KnetPacket.dataFragment(data);
		// the payload follows the header; the buffer is this handle's, so no slice is needed
		ByteBuf payload = data.skipBytes(KnetPacket.Data.SIZE);
		if (fragments <= 1) {
			host.mark(seq, false);
			this.output.deliver(host.nodeid, broadcast, payload);
			return;
		}
		ByteBuf message = host.reassemble(seq, fragments, fragment, payload);
		if (message != null) {
			try {
				host.mark(seq, false);
				this.output.deliver(host.nodeid, broadcast, message);
			}
			finally {
				message.release();
			}
		}
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
		void pingSequence(int seq, boolean timed) {
			if (!timed) {
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
			releaseDefrag();
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
						buffer.release();
						this.defrag[i] = null;
					}
				}
			}
		}

		/**
		 * Keeps fragment {@code fragment} (1-based) of message {@code seq}.
		 * @return the whole message once every fragment is in (the caller releases it), else {@code null}
		 */
		@Nullable ByteBuf reassemble(int seq, int fragments, int fragment, ByteBuf payload) {
			if (fragment < 1 || fragment > fragments) {
				KnetHandle.this.rejected++;
				return null;
			}
			int slot = -1;
			Defrag buffer = null;
			for (int i = 0; i < DEFRAG_BUFFERS; i++) {
				Defrag candidate = this.defrag[i];
				if (candidate != null && candidate.seq == seq) {
					buffer = candidate;
					slot = i;
					break;
				}
				if (candidate == null && slot < 0) {
					slot = i;
				}
			}
			if (buffer == null) {
				if (!fresh(seq, true)) {
					return null;
				}
				mark(seq, true);
				if (slot < 0) {
					// all busy: the oldest message gives way, as in libknet
					slot = oldestDefrag();
					this.defrag[slot].release();
				}
				buffer = new Defrag(seq, fragments);
				this.defrag[slot] = buffer;
			}
			if (buffer.pieces.length != fragments) {
				buffer.release();
				this.defrag[slot] = null;
				KnetHandle.this.rejected++;
				return null;
			}
			if (buffer.pieces[fragment - 1] == null) {
				// a copy of its own: a slice would keep the whole receive buffer (136 KiB from the socket
				// when there is no crypto) alive for every fragment waiting here
				ByteBuf piece = KnetHandle.this.allocator.heapBuffer(payload.readableBytes());
				piece.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
				buffer.pieces[fragment - 1] = piece;
				buffer.received++;
				buffer.length += payload.readableBytes();
			}
			if (buffer.received < fragments) {
				return null;
			}
			this.defrag[slot] = null;
			ByteBuf message = KnetHandle.this.allocator.heapBuffer(buffer.length);
			for (ByteBuf piece : buffer.pieces) {
				message.writeBytes(piece, piece.readerIndex(), piece.readableBytes());
			}
			buffer.release();
			return message;
		}

		void releaseDefrag() {
			for (int i = 0; i < DEFRAG_BUFFERS; i++) {
				if (this.defrag[i] != null) {
					this.defrag[i].release();
					this.defrag[i] = null;
				}
			}
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

	/** A message being reassembled: its fragments as they came, each holding its packet's buffer. */
	private static final class Defrag {

		final int seq;

		final @Nullable ByteBuf[] pieces;

		int received;

		int length;

		Defrag(int seq, int fragments) {
			this.seq = seq;
			this.pieces = new ByteBuf[fragments];
		}

		void release() {
			for (int i = 0; i < this.pieces.length; i++) {
				if (this.pieces[i] != null) {
					this.pieces[i].release();
					this.pieces[i] = null;
				}
			}
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
