package io.corosync4j.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the cluster node, {@code corosync.*}. The keys mirror {@code corosync.conf} (kebab
 * case): {@code corosync.totem.token=3s}, {@code corosync.nodelist[0].ring0-addr=10.0.0.1},
 * {@code corosync.quorum.two-node=true}. Unset values take Corosync's defaults, derived ones
 * included (the consensus timeout from the token, and so on). With nothing set the node runs alone on
 * 127.0.0.1. A {@code corosync.*} key that is none of these fails the start, naming the nearest one.
 */
@ConfigurationProperties(prefix = "corosync", ignoreUnknownFields = false)
public class CorosyncProperties {

	/** Whether to run a corosync4j cluster node in this application. */
	private boolean enabled = true;

	/** An existing corosync.conf to run from instead of these properties (also COROSYNC_MAIN_CONFIG_FILE). */
	private @Nullable String configFile;

	/** This host's address among the nodelist's, when several nodes run on one machine. */
	private @Nullable String localAddress;

	/** How long start-up waits for the node's first synchronized ring. */
	private Duration startupTimeout = Duration.ofSeconds(30);

	/**
	 * After its first ring, how long start-up waits for the other nodelist members to merge in (it goes on as
	 * soon as all are there); the effective token timeout when unset.
	 */
	private @Nullable Duration startupSettle;

	private final Totem totem = new Totem();

	/** The cluster's nodes; empty means a single node on 127.0.0.1. */
	private final List<Node> nodelist = new ArrayList<>();

	private final Quorum quorum = new Quorum();

	private final SystemSettings system = new SystemSettings();

	private final Cpg cpg = new Cpg();

	private final Ipc ipc = new Ipc();

	private final Sam sam = new Sam();

	private final Endpoint endpoint = new Endpoint();

	private final Lock lock = new Lock();

	private final ServiceGroup serviceGroup = new ServiceGroup();

	private final Checkpoint checkpoint = new Checkpoint();

	private final Events events = new Events();

	private final Messages messages = new Messages();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getConfigFile() {
		return this.configFile;
	}

	public void setConfigFile(@Nullable String configFile) {
		this.configFile = configFile;
	}

	public @Nullable String getLocalAddress() {
		return this.localAddress;
	}

	public void setLocalAddress(@Nullable String localAddress) {
		this.localAddress = localAddress;
	}

	public Duration getStartupTimeout() {
		return this.startupTimeout;
	}

	public void setStartupTimeout(Duration startupTimeout) {
		this.startupTimeout = startupTimeout;
	}

	public @Nullable Duration getStartupSettle() {
		return this.startupSettle;
	}

	public void setStartupSettle(@Nullable Duration startupSettle) {
		this.startupSettle = startupSettle;
	}

	public Totem getTotem() {
		return this.totem;
	}

	public List<Node> getNodelist() {
		return this.nodelist;
	}

	public Quorum getQuorum() {
		return this.quorum;
	}

	public SystemSettings getSystem() {
		return this.system;
	}

	public Cpg getCpg() {
		return this.cpg;
	}

	public Ipc getIpc() {
		return this.ipc;
	}

	public Sam getSam() {
		return this.sam;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Lock getLock() {
		return this.lock;
	}

	public ServiceGroup getServiceGroup() {
		return this.serviceGroup;
	}

	public Checkpoint getCheckpoint() {
		return this.checkpoint;
	}

	public Events getEvents() {
		return this.events;
	}

	public Messages getMessages() {
		return this.messages;
	}

	/** What follows a message a listener still fails on after its retries. */
	public enum Recovery {

		/** Log it; the message is skipped. */
		LOG,

		/** Send it to the dead-letter group, with where it came from and why. */
		DEAD_LETTER,

		/** Leave the group and join again as a new member (take a state transfer on the join). */
		REJOIN

	}

	/** Retries of a failed listener method, on its thread, before its next message. */
	public static class Retry {

		/** Invocations of a listener method per message, the first included (1: no retry). */
		private int maxAttempts = 1;

		/** The pause before the first retry. */
		private Duration interval = Duration.ofSeconds(1);

		/** What each pause is multiplied by for the next. */
		private double multiplier = 1.0;

		/** The longest pause. */
		private Duration maxInterval = Duration.ofSeconds(30);

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxInterval() {
			return this.maxInterval;
		}

		public void setMaxInterval(Duration maxInterval) {
			this.maxInterval = maxInterval;
		}

	}

	/** SAM health checks in the application. */
	public static class Sam {

		/** Whether readiness refuses traffic while the partition is not quorate. */
		private boolean quorumReadiness = true;

		/** Whether a SAM component that quits also exits the JVM with status 1. */
		private boolean exitOnQuit;

		public boolean isQuorumReadiness() {
			return this.quorumReadiness;
		}

		public void setQuorumReadiness(boolean quorumReadiness) {
			this.quorumReadiness = quorumReadiness;
		}

		public boolean isExitOnQuit() {
			return this.exitOnQuit;
		}

		public void setExitOnQuit(boolean exitOnQuit) {
			this.exitOnQuit = exitOnQuit;
		}

	}

	/** The {@code corosync} Actuator endpoint. */
	public static class Endpoint {

		/** Whether the corosync endpoint's write operations (kill-node, reload, switchover) may be used. */
		private boolean writeOperations;

		public boolean isWriteOperations() {
			return this.writeOperations;
		}

		public void setWriteOperations(boolean writeOperations) {
			this.writeOperations = writeOperations;
		}

	}

	/** Distributed locks: the lock service's Spring Integration LockRegistry. */
	public static class Lock {

		/** Whether to auto-configure a LockRegistry on the lock service when Spring Integration is there. */
		private boolean enabled = true;

		/** What the LockRegistry puts before a key to name its resource in the lock service. */
		private String keyPrefix = "spring:";

		/** How long a lock stays held after its holder's node left the ring, before anyone else is granted it. */
		private Duration grace = Duration.ZERO;

		/** Whether a wait that would close a cycle of threads waiting for each other's locks fails instead. */
		private boolean deadlockDetection;

		/** How long tryLock() waits for the group's answer, and unlock() for the group to apply the release. */
		private Duration answerTimeout = Duration.ofSeconds(5);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getGrace() {
			return this.grace;
		}

		public void setGrace(Duration grace) {
			this.grace = grace;
		}

		public boolean isDeadlockDetection() {
			return this.deadlockDetection;
		}

		public void setDeadlockDetection(boolean deadlockDetection) {
			this.deadlockDetection = deadlockDetection;
		}

		public Duration getAnswerTimeout() {
			return this.answerTimeout;
		}

		public void setAnswerTimeout(Duration answerTimeout) {
			this.answerTimeout = answerTimeout;
		}

	}

	/** Active/standby service groups: units for ActiveStandbyService beans and Spring Integration candidates. */
	public static class ServiceGroup {

		/** Whether to offer service units for ActiveStandbyService beans and Spring Integration candidates. */
		private boolean enabled = true;

		/**
		 * The rank of this process's units (lower is preferred; ties go to the unit registered first),
		 * unless the bean or candidate chooses its own.
		 */
		private int defaultRank;

		/**
		 * How long after the node of a group's active failed before another unit takes over, so that an
		 * active cut off in a minority has stepped down first.
		 */
		private Duration grace = Duration.ZERO;

		/** How long an active may take to quiesce in a switchover before the switch is forced. */
		private Duration quiesceTimeout = Duration.ofSeconds(30);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getDefaultRank() {
			return this.defaultRank;
		}

		public void setDefaultRank(int defaultRank) {
			this.defaultRank = defaultRank;
		}

		public Duration getGrace() {
			return this.grace;
		}

		public void setGrace(Duration grace) {
			this.grace = grace;
		}

		public Duration getQuiesceTimeout() {
			return this.quiesceTimeout;
		}

		public void setQuiesceTimeout(Duration quiesceTimeout) {
			this.quiesceTimeout = quiesceTimeout;
		}

	}

	/** Checkpoints: the node's checkpoint service as a bean. */
	public static class Checkpoint {

		/** Whether to expose the node's checkpoint service (started on first use) as a bean. */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/** Event channels: @EventChannelListener methods and EventChannelTemplate. */
	public static class Events {

		/** Whether to configure event channel listeners and the template (the service starts on first use). */
		private boolean enabled = true;

		/** The channel EventChannelTemplate.publish(Message) uses when the message names none. */
		private @Nullable String defaultChannel;

		/** The publisher name events carry; spring.application.name when unset. */
		private @Nullable String publisher;

		/** The priority of events published without one: 0 (highest) to 3. */
		private int defaultPriority = 3;

		/** How long events published without a retention are kept for subscribers that come later (0: not kept). */
		private Duration defaultRetention = Duration.ZERO;

		/** Whether a publication completes only once every member of the ring holds the event. */
		private boolean publishStable;

		/** How long a publication waits for this member to hold the event state. */
		private Duration readyTimeout = Duration.ofSeconds(30);

		/** Events that may wait for one listener; one that falls further behind loses the oldest. */
		private int listenerQueue = 1024;

		private final Retry retry = new Retry();

		/** Whether publications and deliveries are Micrometer Observations (evt.publish, evt.receive). */
		private boolean observationEnabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getDefaultChannel() {
			return this.defaultChannel;
		}

		public void setDefaultChannel(@Nullable String defaultChannel) {
			this.defaultChannel = defaultChannel;
		}

		public @Nullable String getPublisher() {
			return this.publisher;
		}

		public void setPublisher(@Nullable String publisher) {
			this.publisher = publisher;
		}

		public int getDefaultPriority() {
			return this.defaultPriority;
		}

		public void setDefaultPriority(int defaultPriority) {
			this.defaultPriority = defaultPriority;
		}

		public Duration getDefaultRetention() {
			return this.defaultRetention;
		}

		public void setDefaultRetention(Duration defaultRetention) {
			this.defaultRetention = defaultRetention;
		}

		public boolean isPublishStable() {
			return this.publishStable;
		}

		public void setPublishStable(boolean publishStable) {
			this.publishStable = publishStable;
		}

		public Duration getReadyTimeout() {
			return this.readyTimeout;
		}

		public void setReadyTimeout(Duration readyTimeout) {
			this.readyTimeout = readyTimeout;
		}

		public int getListenerQueue() {
			return this.listenerQueue;
		}

		public void setListenerQueue(int listenerQueue) {
			this.listenerQueue = listenerQueue;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

	}

	/** What follows a queued message a @QueueListener method still fails on after its retries. */
	public enum QueueRecovery {

		/** Log it and leave it unacknowledged: it is handed out again when this listener's queue closes. */
		KEEP,

		/** Send it to the dead-letter queue group, then acknowledge it. */
		DEAD_LETTER,

		/** Log it and acknowledge it: the message is gone. */
		DISCARD

	}

	/** How a send to a queue group picks the queue, for groups the listeners create. */
	public enum QueueGroupPolicy {

		/** The group's queues in turn. */
		ROUND_ROBIN,

		/** In turn among the queues on the sender's node, all of them if there is none. */
		LOCAL_ROUND_ROBIN,

		/** The queue on the sender's node with the most room, else the same over all. */
		LOCAL_BEST_QUEUE,

		/** A copy to every queue of the group. */
		BROADCAST

	}

	/** Message queues: @QueueListener methods, MessageQueueTemplate and queue group channels. */
	public static class Messages {

		/** Whether to configure queue listeners and the template (the service starts on first use). */
		private boolean enabled = true;

		/** The priority of messages sent without one: 0 (highest) to 3. */
		private int defaultPriority = 3;

		/** How long MessageQueueTemplate.sendAndReceive waits for a reply when given no timeout. */
		private Duration replyTimeout = Duration.ofSeconds(30);

		/** How long a send waits for this member to hold the message state. */
		private Duration readyTimeout = Duration.ofSeconds(30);

		private final QueueListener listener = new QueueListener();

		private final Retry retry = new Retry();

		/**
		 * What happens to a message a listener still fails on after its retries: keep (log it, leave it
		 * unacknowledged), dead-letter (send it to dead-letter-group, then acknowledge it) or discard (log it,
		 * acknowledge it).
		 */
		private QueueRecovery recovery = QueueRecovery.KEEP;

		/** The queue group the dead-letter recovery sends failed messages to. */
		private @Nullable String deadLetterGroup;

		/** Whether sends and deliveries are Micrometer Observations (msg.send, msg.receive). */
		private boolean observationEnabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getDefaultPriority() {
			return this.defaultPriority;
		}

		public void setDefaultPriority(int defaultPriority) {
			this.defaultPriority = defaultPriority;
		}

		public Duration getReplyTimeout() {
			return this.replyTimeout;
		}

		public void setReplyTimeout(Duration replyTimeout) {
			this.replyTimeout = replyTimeout;
		}

		public Duration getReadyTimeout() {
			return this.readyTimeout;
		}

		public void setReadyTimeout(Duration readyTimeout) {
			this.readyTimeout = readyTimeout;
		}

		public QueueListener getListener() {
			return this.listener;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public QueueRecovery getRecovery() {
			return this.recovery;
		}

		public void setRecovery(QueueRecovery recovery) {
			this.recovery = recovery;
		}

		public @Nullable String getDeadLetterGroup() {
			return this.deadLetterGroup;
		}

		public void setDeadLetterGroup(@Nullable String deadLetterGroup) {
			this.deadLetterGroup = deadLetterGroup;
		}

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

	}

	/** The queues @QueueListener methods open. */
	public static class QueueListener {

		/** The policy of the queue groups the listeners create when they do not exist. */
		private QueueGroupPolicy groupPolicy = QueueGroupPolicy.ROUND_ROBIN;

		/** Messages a listener's queue hands out unacknowledged at a time: 1 to 65536. */
		private int prefetch = 16;

		/** Whether a listener's queue, with its messages, outlives the application for the retention. */
		private boolean persistent;

		/** How long a persistent queue is kept after its listener stopped. */
		private Duration retention = Duration.ofMinutes(10);

		/** Messages a listener's queue holds, per priority. */
		private int capacity = 1024;

		/** Payload bytes a listener's queue holds, per priority. */
		private DataSize capacityBytes = DataSize.ofMegabytes(1);

		public QueueGroupPolicy getGroupPolicy() {
			return this.groupPolicy;
		}

		public void setGroupPolicy(QueueGroupPolicy groupPolicy) {
			this.groupPolicy = groupPolicy;
		}

		public int getPrefetch() {
			return this.prefetch;
		}

		public void setPrefetch(int prefetch) {
			this.prefetch = prefetch;
		}

		public boolean isPersistent() {
			return this.persistent;
		}

		public void setPersistent(boolean persistent) {
			this.persistent = persistent;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public int getCapacity() {
			return this.capacity;
		}

		public void setCapacity(int capacity) {
			this.capacity = capacity;
		}

		public DataSize getCapacityBytes() {
			return this.capacityBytes;
		}

		public void setCapacityBytes(DataSize capacityBytes) {
			this.capacityBytes = capacityBytes;
		}

	}

	/** The {@code totem} section. */
	public static class Totem {

		/** Name of the cluster; every node must use the same. */
		private String clusterName = "corosync4j";

		/** Transport: udpu (unicast to every nodelist member), udp (multicast) or knet (up to 8 links, encryptable). */
		private String transport = "udpu";

		/** How knet uses several links: passive (one at a time, by priority), active (all) or rr (round robin). */
		private String linkMode = "passive";

		/** knet packet encryption: none, aes128, aes192 or aes256 (needs a crypto-hash and the keyfile). */
		private String cryptoCipher = "none";

		/** knet packet authentication: none, md5, sha1, sha256, sha384 or sha512. */
		private String cryptoHash = "none";

		/**
		 * Which implementation encrypts: bouncycastle, jca (the JDK's providers), or Corosync's names nss and
		 * openssl, which mean the default.
		 */
		private @Nullable String cryptoModel;

		/** The authkey shared by every node (also COROSYNC_TOTEM_AUTHKEY_FILE); /etc/corosync/authkey when unset. */
		private @Nullable String keyfile;

		/**
		 * UDP port of link 0 (mcastport); knet link N uses this port + N. 0 picks a free port, for a one-node
		 * udpu ring (tests): the members of a ring must share theirs. Such a node keeps its state in a new
		 * temporary directory unless corosync.system.state-dir says otherwise.
		 */
		private int port = 5405;

		/** Token timeout: how long without the token before a node is declared lost. */
		private Duration token = Duration.ofMillis(3000);

		/** Added to the token timeout for every node beyond two. */
		private Duration tokenCoefficient = Duration.ofMillis(650);

		/** Consensus timeout for forming a new ring; 1.2 × the effective token when unset. */
		private @Nullable Duration consensus;

		/** How long to wait for join messages while forming a ring. */
		private Duration join = Duration.ofMillis(50);

		/** Largest frame Totem sends (bytes). */
		private DataSize netmtu = DataSize.ofBytes(1500);

		/** Messages one node may send per token rotation. */
		private int maxMessages = 17;

		/** Messages the whole ring may send per token rotation. */
		private int windowSize = 50;

		/** Configuration version; a node with an older non-zero version may not join. */
		private long configVersion;

		/** Drop datagrams from addresses outside the nodelist (udpu). */
		private boolean blockUnlistedIps = true;

		public String getClusterName() {
			return this.clusterName;
		}

		public void setClusterName(String clusterName) {
			this.clusterName = clusterName;
		}

		public String getTransport() {
			return this.transport;
		}

		public void setTransport(String transport) {
			this.transport = transport;
		}

		public String getLinkMode() {
			return this.linkMode;
		}

		public void setLinkMode(String linkMode) {
			this.linkMode = linkMode;
		}

		public String getCryptoCipher() {
			return this.cryptoCipher;
		}

		public void setCryptoCipher(String cryptoCipher) {
			this.cryptoCipher = cryptoCipher;
		}

		public String getCryptoHash() {
			return this.cryptoHash;
		}

		public void setCryptoHash(String cryptoHash) {
			this.cryptoHash = cryptoHash;
		}

		public @Nullable String getCryptoModel() {
			return this.cryptoModel;
		}

		public void setCryptoModel(@Nullable String cryptoModel) {
			this.cryptoModel = cryptoModel;
		}

		public @Nullable String getKeyfile() {
			return this.keyfile;
		}

		public void setKeyfile(@Nullable String keyfile) {
			this.keyfile = keyfile;
		}

		public int getPort() {
			return this.port;
		}

		public void setPort(int port) {
			this.port = port;
		}

		public Duration getToken() {
			return this.token;
		}

		public void setToken(Duration token) {
			this.token = token;
		}

		public Duration getTokenCoefficient() {
			return this.tokenCoefficient;
		}

		public void setTokenCoefficient(Duration tokenCoefficient) {
			this.tokenCoefficient = tokenCoefficient;
		}

		public @Nullable Duration getConsensus() {
			return this.consensus;
		}

		public void setConsensus(@Nullable Duration consensus) {
			this.consensus = consensus;
		}

		public Duration getJoin() {
			return this.join;
		}

		public void setJoin(Duration join) {
			this.join = join;
		}

		public DataSize getNetmtu() {
			return this.netmtu;
		}

		public void setNetmtu(DataSize netmtu) {
			this.netmtu = netmtu;
		}

		public int getMaxMessages() {
			return this.maxMessages;
		}

		public void setMaxMessages(int maxMessages) {
			this.maxMessages = maxMessages;
		}

		public int getWindowSize() {
			return this.windowSize;
		}

		public void setWindowSize(int windowSize) {
			this.windowSize = windowSize;
		}

		public long getConfigVersion() {
			return this.configVersion;
		}

		public void setConfigVersion(long configVersion) {
			this.configVersion = configVersion;
		}

		public boolean isBlockUnlistedIps() {
			return this.blockUnlistedIps;
		}

		public void setBlockUnlistedIps(boolean blockUnlistedIps) {
			this.blockUnlistedIps = blockUnlistedIps;
		}

	}

	/** One {@code nodelist.node} entry. */
	public static class Node {

		/** The node's id (1 to 2^32-1); unique in the cluster. */
		private @Nullable Long nodeid;

		/** The node's name, used to find the local node when its address is ambiguous. */
		private @Nullable String name;

		/** The node's address on link 0. */
		private @Nullable String ring0Addr;

		/** The node's address on knet link 1 (a redundant network; every node then needs a name). */
		private @Nullable String ring1Addr;

		/** The node's address on knet link 2 (a redundant network; every node then needs a name). */
		private @Nullable String ring2Addr;

		/** The node's address on knet link 3 (a redundant network; every node then needs a name). */
		private @Nullable String ring3Addr;

		/** The node's address on knet link 4 (a redundant network; every node then needs a name). */
		private @Nullable String ring4Addr;

		/** The node's address on knet link 5 (a redundant network; every node then needs a name). */
		private @Nullable String ring5Addr;

		/** The node's address on knet link 6 (a redundant network; every node then needs a name). */
		private @Nullable String ring6Addr;

		/** The node's address on knet link 7 (a redundant network; every node then needs a name). */
		private @Nullable String ring7Addr;

		/** The node's votes in votequorum. */
		private int quorumVotes = 1;

		public @Nullable Long getNodeid() {
			return this.nodeid;
		}

		public void setNodeid(@Nullable Long nodeid) {
			this.nodeid = nodeid;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		public @Nullable String getRing0Addr() {
			return this.ring0Addr;
		}

		public void setRing0Addr(@Nullable String ring0Addr) {
			this.ring0Addr = ring0Addr;
		}

		public @Nullable String getRing1Addr() {
			return this.ring1Addr;
		}

		public void setRing1Addr(@Nullable String ring1Addr) {
			this.ring1Addr = ring1Addr;
		}

		public @Nullable String getRing2Addr() {
			return this.ring2Addr;
		}

		public void setRing2Addr(@Nullable String ring2Addr) {
			this.ring2Addr = ring2Addr;
		}

		public @Nullable String getRing3Addr() {
			return this.ring3Addr;
		}

		public void setRing3Addr(@Nullable String ring3Addr) {
			this.ring3Addr = ring3Addr;
		}

		public @Nullable String getRing4Addr() {
			return this.ring4Addr;
		}

		public void setRing4Addr(@Nullable String ring4Addr) {
			this.ring4Addr = ring4Addr;
		}

		public @Nullable String getRing5Addr() {
			return this.ring5Addr;
		}

		public void setRing5Addr(@Nullable String ring5Addr) {
			this.ring5Addr = ring5Addr;
		}

		public @Nullable String getRing6Addr() {
			return this.ring6Addr;
		}

		public void setRing6Addr(@Nullable String ring6Addr) {
			this.ring6Addr = ring6Addr;
		}

		public @Nullable String getRing7Addr() {
			return this.ring7Addr;
		}

		public void setRing7Addr(@Nullable String ring7Addr) {
			this.ring7Addr = ring7Addr;
		}

		/** The addresses by link number, as set. */
		java.util.Map<Integer, String> ringAddrs() {
			java.util.Map<Integer, String> addresses = new java.util.TreeMap<>();
			String[] values = { this.ring0Addr, this.ring1Addr, this.ring2Addr, this.ring3Addr, this.ring4Addr,
					this.ring5Addr, this.ring6Addr, this.ring7Addr };
			for (int link = 0; link < values.length; link++) {
				if (values[link] != null) {
					addresses.put(link, values[link]);
				}
			}
			return addresses;
		}

		public int getQuorumVotes() {
			return this.quorumVotes;
		}

		public void setQuorumVotes(int quorumVotes) {
			this.quorumVotes = quorumVotes;
		}

	}

	/** The {@code quorum} section (votequorum). */
	public static class Quorum {

		/** Whether votequorum runs; without it the node is always quorate. */
		private boolean enabled = true;

		/** Expected votes; the nodelist's vote sum when unset. */
		private @Nullable Long expectedVotes;

		/** Quorum of 1 while at most two nodes are members. */
		private boolean twoNode;

		/** Grant quorum the first time only when all nodes were seen; follows two-node when unset. */
		private @Nullable Boolean waitForAll;

		/** Recalculate expected votes after nodes are lost. */
		private boolean lastManStanding;

		/** Delay before last-man-standing recalculates. */
		private Duration lastManStandingWindow = Duration.ofSeconds(10);

		/** Let the partition with the tie-breaker node win an even split. */
		private boolean autoTieBreaker;

		/** The tie-breaker: lowest, highest or node ids in priority order. */
		private String autoTieBreakerNode = "lowest";

		/** Remember the highest expected votes seen, across restarts. */
		private boolean expectedVotesTracking;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Long getExpectedVotes() {
			return this.expectedVotes;
		}

		public void setExpectedVotes(@Nullable Long expectedVotes) {
			this.expectedVotes = expectedVotes;
		}

		public boolean isTwoNode() {
			return this.twoNode;
		}

		public void setTwoNode(boolean twoNode) {
			this.twoNode = twoNode;
		}

		public @Nullable Boolean getWaitForAll() {
			return this.waitForAll;
		}

		public void setWaitForAll(@Nullable Boolean waitForAll) {
			this.waitForAll = waitForAll;
		}

		public boolean isLastManStanding() {
			return this.lastManStanding;
		}

		public void setLastManStanding(boolean lastManStanding) {
			this.lastManStanding = lastManStanding;
		}

		public Duration getLastManStandingWindow() {
			return this.lastManStandingWindow;
		}

		public void setLastManStandingWindow(Duration lastManStandingWindow) {
			this.lastManStandingWindow = lastManStandingWindow;
		}

		public boolean isAutoTieBreaker() {
			return this.autoTieBreaker;
		}

		public void setAutoTieBreaker(boolean autoTieBreaker) {
			this.autoTieBreaker = autoTieBreaker;
		}

		public String getAutoTieBreakerNode() {
			return this.autoTieBreakerNode;
		}

		public void setAutoTieBreakerNode(String autoTieBreakerNode) {
			this.autoTieBreakerNode = autoTieBreakerNode;
		}

		public boolean isExpectedVotesTracking() {
			return this.expectedVotesTracking;
		}

		public void setExpectedVotesTracking(boolean expectedVotesTracking) {
			this.expectedVotesTracking = expectedVotesTracking;
		}

	}

	/** The {@code system} section. */
	public static class SystemSettings {

		/** Where the ring id and expected-votes tracking are kept; ${java.io.tmpdir}/corosync4j/<cluster> when unset. */
		private @Nullable String stateDir;

		/**
		 * How Corosync's tools and client libraries exchange messages with the node once connected, as
		 * corosync.conf's system.qb_ipc_type: 'native' or 'shm' for libqb's shared memory (sockets where the
		 * host cannot serve it), 'socket' for libqb's sockets. Unset: 'native'.
		 */
		private @Nullable String qbIpcType;

		public @Nullable String getStateDir() {
			return this.stateDir;
		}

		public void setStateDir(@Nullable String stateDir) {
			this.stateDir = stateDir;
		}

		public @Nullable String getQbIpcType() {
			return this.qbIpcType;
		}

		public void setQbIpcType(@Nullable String qbIpcType) {
			this.qbIpcType = qbIpcType;
		}

	}

	/** The node's libqb IPC, which Corosync's tools and client libraries of this host connect to. */
	public static class Ipc {

		/**
		 * Whether the node serves Corosync's tools (corosync-cmapctl, corosync-cfgtool...) and client libraries
		 * (libcpg, libcmap...) as the corosync daemon does. Off by default: the IPC names are one per network
		 * namespace, and an embedded node does not take them from a daemon or another application unasked.
		 */
		private boolean enabled;

		/** A network namespace to serve in instead of the application's, such as /run/netns/NAME. */
		private @Nullable String networkNamespace;

		/** Responses and events one client may leave unread before it is disconnected. */
		private DataSize connectionQueueSize = DataSize.ofMegabytes(64);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getNetworkNamespace() {
			return this.networkNamespace;
		}

		public void setNetworkNamespace(@Nullable String networkNamespace) {
			this.networkNamespace = networkNamespace;
		}

		public DataSize getConnectionQueueSize() {
			return this.connectionQueueSize;
		}

		public void setConnectionQueueSize(DataSize connectionQueueSize) {
			this.connectionQueueSize = connectionQueueSize;
		}

	}

	/** CPG, closed process groups. */
	public static class Cpg {

		/** Data that may wait in the node's CPG send queue before senders are pushed back. */
		private DataSize sendQueue = DataSize.ofMegabytes(16);

		/** How long CpgTemplate waits for room in the send queue. */
		private Duration sendTimeout = Duration.ofSeconds(5);

		/**
		 * Data each group may have waiting for its @CpgListener methods; a member whose listeners fall further
		 * behind leaves the group.
		 */
		private DataSize listenerQueue = DataSize.ofMegabytes(64);

		/** Whether a member that left a group because its listeners fell behind joins again once they caught up. */
		private boolean rejoinAfterFallingBehind = true;

		/** The group CpgTemplate.sendDefault and messages without a group header go to. */
		private @Nullable String defaultGroup;

		private final Retry retry = new Retry();

		/**
		 * What happens to a message a listener still fails on after its retries: log (skip it), dead-letter
		 * (send it to dead-letter-group) or rejoin (leave the group and join again as a new member, for a
		 * state transfer).
		 */
		private Recovery recovery = Recovery.LOG;

		/** Where the dead-letter recovery sends failed messages. */
		private @Nullable String deadLetterGroup;

		/**
		 * Whether sends and deliveries are Micrometer Observations (cpg.send, cpg.receive), with the trace context
		 * carried in a header: messages then travel in a frame that C programs in the group would see.
		 */
		private boolean observationEnabled;

		public boolean isObservationEnabled() {
			return this.observationEnabled;
		}

		public void setObservationEnabled(boolean observationEnabled) {
			this.observationEnabled = observationEnabled;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public Recovery getRecovery() {
			return this.recovery;
		}

		public void setRecovery(Recovery recovery) {
			this.recovery = recovery;
		}

		public @Nullable String getDeadLetterGroup() {
			return this.deadLetterGroup;
		}

		public void setDeadLetterGroup(@Nullable String deadLetterGroup) {
			this.deadLetterGroup = deadLetterGroup;
		}

		/**
		 * Whether sending to a group this member is not in joins it (the other members see it join); otherwise
		 * such a send is refused.
		 */
		private boolean joinOnSend;

		public @Nullable String getDefaultGroup() {
			return this.defaultGroup;
		}

		public void setDefaultGroup(@Nullable String defaultGroup) {
			this.defaultGroup = defaultGroup;
		}

		public boolean isJoinOnSend() {
			return this.joinOnSend;
		}

		public void setJoinOnSend(boolean joinOnSend) {
			this.joinOnSend = joinOnSend;
		}

		public DataSize getSendQueue() {
			return this.sendQueue;
		}

		public void setSendQueue(DataSize sendQueue) {
			this.sendQueue = sendQueue;
		}

		public Duration getSendTimeout() {
			return this.sendTimeout;
		}

		public void setSendTimeout(Duration sendTimeout) {
			this.sendTimeout = sendTimeout;
		}

		public DataSize getListenerQueue() {
			return this.listenerQueue;
		}

		public void setListenerQueue(DataSize listenerQueue) {
			this.listenerQueue = listenerQueue;
		}

		public boolean isRejoinAfterFallingBehind() {
			return this.rejoinAfterFallingBehind;
		}

		public void setRejoinAfterFallingBehind(boolean rejoinAfterFallingBehind) {
			this.rejoinAfterFallingBehind = rejoinAfterFallingBehind;
		}

	}

}
