package io.corosync4j.spring.servicegroup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.checkpoint.CheckpointAutoConfiguration;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.FileSystemUtils;

/**
 * Members of one ring in this JVM, each an application context with the node, service groups,
 * checkpoints and the test's configuration: member <i>n</i> is node <i>n</i> on 127.0.0.<i>n</i>, with
 * {@code corosync.service-group.default-rank=n} (node 1 is preferred), on a UDP port the OS had free.
 */
final class ServiceGroupCluster implements AutoCloseable {

	static final Duration BOUND = Duration.ofSeconds(30);

	private final List<@Nullable ConfigurableApplicationContext> members = new ArrayList<>();

	private final List<ConfigurableApplicationContext> crashed = new ArrayList<>();

	private final Path state;

	private ServiceGroupCluster(Path state) {
		this.state = state;
	}

	static ServiceGroupCluster start(int size, Class<?> configuration, String... properties) throws Exception {
		ServiceGroupCluster cluster = new ServiceGroupCluster(Files.createTempDirectory("corosync4j-groups"));
		int port = FreePort.udp();
		try {
			for (int node = 1; node <= size; node++) {
				List<String> settings = new ArrayList<>(List.of("corosync.totem.port=" + port,
						"corosync.totem.token=1000", "corosync.local-address=127.0.0." + node,
						"corosync.system.state-dir=" + cluster.state.resolve("n" + node),
						"corosync.service-group.default-rank=" + node, "spring.main.banner-mode=off"));
				for (int i = 1; i <= size; i++) {
					settings.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
					settings.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
				}
				settings.addAll(List.of(properties));
				cluster.members.add(new SpringApplicationBuilder(Member.class, configuration)
					.web(WebApplicationType.NONE)
					.properties(settings.toArray(String[]::new))
					.run());
			}
			return cluster;
		}
		catch (Exception | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	ConfigurableApplicationContext member(int node) {
		ConfigurableApplicationContext member = this.members.get(node - 1);
		if (member == null) {
			throw new IllegalStateException("member " + node + " was stopped");
		}
		return member;
	}

	<T> T bean(int node, Class<T> type) {
		return member(node).getBean(type);
	}

	/** The nodes of the members still running. */
	List<Integer> running() {
		List<Integer> nodes = new ArrayList<>();
		for (int node = 1; node <= this.members.size(); node++) {
			if (this.members.get(node - 1) != null) {
				nodes.add(node);
			}
		}
		return nodes;
	}

	/** Closes member {@code node}'s application context, as an application that shuts down. */
	void stop(int node) {
		member(node).close();
		this.members.set(node - 1, null);
	}

	/**
	 * Crashes member {@code node}'s cluster node (no leave message, as a killed process); its application
	 * context is closed with the cluster.
	 */
	void crash(int node) {
		ConfigurableApplicationContext member = member(node);
		member.getBean(CorosyncNodeLifecycle.class).getNode().crash();
		this.members.set(node - 1, null);
		this.crashed.add(member);
	}

	@Override
	public void close() {
		this.crashed.forEach(ConfigurableApplicationContext::close);
		for (ConfigurableApplicationContext member : this.members) {
			if (member != null) {
				member.close();
			}
		}
		FileSystemUtils.deleteRecursively(this.state.toFile());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CorosyncAutoConfiguration.class, ServiceGroupAutoConfiguration.class,
			CheckpointAutoConfiguration.class })
	static class Member {

	}

}
