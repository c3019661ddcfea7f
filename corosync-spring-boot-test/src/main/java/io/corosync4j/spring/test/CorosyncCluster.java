package io.corosync4j.spring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry.GroupStatistics;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Several members of one Spring Boot application in this JVM, each a node of one ring: member
 * <i>n</i> has node id <i>n</i> and address 127.0.0.<i>n</i> (Linux answers on all of 127/8), all
 * share a UDP port the OS had free and a fresh state directory each. {@link Builder#start()} returns
 * once every member is in one synchronized ring; {@link #close()} stops them all and deletes the
 * state.
 *
 * <pre class="code">
 * try (CorosyncCluster cluster = CorosyncCluster.of(MyApplication.class).members(3).start()) {
 *     cluster.member(1).getBean(CpgTemplate.class).send("orders", order);
 *     cluster.awaitDelivered("orders", 1);
 * }
 * </pre>
 *
 * The members' properties are passed as command-line arguments, so they win over the application's
 * own files and profiles (a profile's {@code server.port} included); properties given to the builder
 * come last and win over the cluster's.
 */
public final class CorosyncCluster implements AutoCloseable {

	private final Builder settings;

	private final int port;

	private final Path state;

	private final Map<Integer, ConfigurableApplicationContext> running = new TreeMap<>();

	private CorosyncCluster(Builder settings) {
		this.settings = settings;
		this.port = freeUdpPort();
		try {
			this.state = Files.createTempDirectory("corosync4j-cluster");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A cluster of {@code sources}, the application's {@code @SpringBootApplication} class (and any others). */
	public static Builder of(Class<?>... sources) {
		return new Builder(sources);
	}

	/** The running member with node id {@code nodeid}. */
	public ConfigurableApplicationContext member(int nodeid) {
		ConfigurableApplicationContext member = this.running.get(nodeid);
		if (member == null) {
			throw new IllegalArgumentException("member " + nodeid + " is not running; running: " + this.running.keySet());
		}
		return member;
	}

	/** The running members, by node id. */
	public synchronized List<ConfigurableApplicationContext> members() {
		return List.copyOf(this.running.values());
	}

	/** The UDP port the ring uses. */
	public int port() {
		return this.port;
	}

	/** Stops member {@code nodeid} as a shutdown does: it leaves the ring and the others re-form at once. */
	public synchronized void stop(int nodeid) {
		member(nodeid).close();
		this.running.remove(nodeid);
	}

	/**
	 * Starts member {@code nodeid} (again, after {@link #stop}, or one beyond the first members) and waits
	 * until the running members are one synchronized ring.
	 */
	public void start(int nodeid) {
		if (nodeid < 1 || nodeid > this.settings.nodelist()) {
			throw new IllegalArgumentException("member " + nodeid + " is not in the nodelist of 1.." + this.settings.nodelist());
		}
		ConfigurableApplicationContext started = launch(nodeid);
		synchronized (this) {
			this.running.put(nodeid, started);
		}
		awaitRing();
	}

	/** Waits until every running member is in one synchronized ring of all the running members. */
	public void awaitRing() {
		await("one synchronized ring of members " + this.running.keySet(), () -> {
			List<Membership> views = members().stream().map(CorosyncCluster::membership).toList();
			List<Long> expected = this.running.keySet().stream().map(Integer::longValue).toList();
			return views.stream().allMatch((view) -> view != null && view.synced() && view.members().equals(expected))
					&& views.stream().map(Membership::ringId).distinct().count() == 1;
		});
	}

	/** Waits until the listeners of {@code group} on every running member have handled {@code count} messages. */
	public void awaitDelivered(String group, long count) {
		await(count + " messages of group '" + group + "' handled on every member",
				() -> members().stream().allMatch((member) -> delivered(member, group) >= count));
	}

	/** Waits, up to the cluster's timeout, for {@code condition}; fails naming {@code what} otherwise. */
	public void await(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + this.settings.timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + " did not happen within " + this.settings.timeout);
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("interrupted while waiting for " + what, ex);
			}
		}
	}

	@Override
	public synchronized void close() {
		List<Integer> nodeids = new ArrayList<>(this.running.keySet());
		nodeids.sort(Comparator.reverseOrder());
		for (int nodeid : nodeids) {
			this.running.remove(nodeid).close();
		}
		delete(this.state);
	}

	private static long delivered(ConfigurableApplicationContext member, String group) {
		GroupStatistics statistics = member.getBean(CpgListenerEndpointRegistry.class).getStatistics().get(group);
		return (statistics != null) ? statistics.delivered() : 0;
	}

	private static @Nullable Membership membership(ConfigurableApplicationContext member) {
		CorosyncNode node = member.getBean(CorosyncNodeLifecycle.class).getNodeIfRunning();
		return (node != null) ? node.membership() : null;
	}

	private ConfigurableApplicationContext launch(int nodeid) {
		// one value per key: a command line that repeats a key gives Spring both, joined with a comma
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("corosync.totem.port", Integer.toString(this.port));
		properties.put("corosync.totem.token", this.settings.token.toMillis() + "ms");
		properties.put("corosync.local-address", "127.0.0." + nodeid);
		properties.put("corosync.system.state-dir", this.state.resolve("n" + nodeid).toString());
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		for (int i = 1; i <= this.settings.nodelist(); i++) {
			properties.put("corosync.nodelist[" + (i - 1) + "].nodeid", Integer.toString(i));
			properties.put("corosync.nodelist[" + (i - 1) + "].ring0-addr", "127.0.0." + i);
		}
		for (String property : this.settings.properties) {
			int equals = property.indexOf('=');
			if (equals <= 0) {
				throw new IllegalArgumentException("a property is key=value, not '" + property + "'");
			}
			properties.put(property.substring(0, equals), property.substring(equals + 1));
		}
		List<String> arguments = new ArrayList<>();
		properties.forEach((key, value) -> arguments.add("--" + key + "=" + value));
		SpringApplicationBuilder application = new SpringApplicationBuilder(this.settings.sources);
		if (this.settings.web != null) {
			application.web(this.settings.web);
		}
		if (this.settings.profiles.length > 0) {
			application.profiles(this.settings.profiles);
		}
		return application.run(arguments.toArray(String[]::new));
	}

	private static int freeUdpPort() {
		try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
		catch (IOException ex) {
			// a temporary directory; the OS cleans up what is left
		}
	}

	/** How the members are made. */
	public static final class Builder {

		private final Class<?>[] sources;

		private int members = 3;

		private @Nullable Integer nodelist;

		private Duration token = Duration.ofMillis(500);

		private Duration timeout = Duration.ofSeconds(30);

		private @Nullable WebApplicationType web = WebApplicationType.NONE;

		private String[] profiles = new String[0];

		private final List<String> properties = new ArrayList<>();

		private Builder(Class<?>[] sources) {
			if (sources.length == 0) {
				throw new IllegalArgumentException("name the application's class");
			}
			this.sources = sources.clone();
		}

		/** How many members start (default 3); the nodelist has as many, unless {@link #nodelist} says more. */
		public Builder members(int members) {
			if (members < 1 || members > 254) {
				throw new IllegalArgumentException("members must be 1 to 254, not " + members);
			}
			this.members = members;
			return this;
		}

		/** The nodelist's size, for members started later with {@link CorosyncCluster#start(int)}. */
		public Builder nodelist(int nodes) {
			if (nodes < 1 || nodes > 254) {
				throw new IllegalArgumentException("the nodelist has 1 to 254 nodes, not " + nodes);
			}
			this.nodelist = nodes;
			return this;
		}

		private int nodelist() {
			return (this.nodelist != null) ? this.nodelist : this.members;
		}

		/** Totem's token timeout (default 500 ms, so a lost member is noticed quickly). */
		public Builder token(Duration token) {
			this.token = token;
			return this;
		}

		/** How long {@code start} and the awaiting methods wait (default 30 s). */
		public Builder timeout(Duration timeout) {
			this.timeout = timeout;
			return this;
		}

		/** The web application type (default none; {@code server.port} is 0 when there is a server). */
		public Builder web(WebApplicationType web) {
			this.web = web;
			return this;
		}

		/** Profiles every member runs with. */
		public Builder profiles(String... profiles) {
			this.profiles = profiles.clone();
			return this;
		}

		/** {@code key=value} properties for every member; they win over the cluster's own. */
		public Builder properties(String... properties) {
			this.properties.addAll(Arrays.asList(properties));
			return this;
		}

		/**
		 * Starts the members one after the other (Boot's logging set-up is not safe for applications starting
		 * at once in one JVM) and waits until they are one synchronized ring.
		 * @throws AssertionError when they are not within the timeout (the started members are stopped)
		 */
		public CorosyncCluster start() {
			if (nodelist() < this.members) {
				throw new IllegalStateException("a nodelist of " + nodelist() + " has no room for " + this.members + " members");
			}
			CorosyncCluster cluster = new CorosyncCluster(this);
			for (int nodeid = 1; nodeid <= this.members; nodeid++) {
				try {
					ConfigurableApplicationContext member = cluster.launch(nodeid);
					synchronized (cluster) {
						cluster.running.put(nodeid, member);
					}
				}
				catch (RuntimeException ex) {
					cluster.close();
					throw new IllegalStateException("member " + nodeid + " did not start", ex);
				}
			}
			try {
				cluster.awaitRing();
			}
			catch (AssertionError ex) {
				cluster.close();
				throw ex;
			}
			return cluster;
		}

	}

}
