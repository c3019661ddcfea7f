package io.corosync4j.spring.lock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.lock.LockService;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.FreePort;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.FileSystemUtils;

/**
 * Members of one ring in this JVM, each an application context with the node and the lock registry:
 * member <i>n</i> is node <i>n</i> on 127.0.0.<i>n</i>, on a UDP port the OS had free. Started once
 * every member's lock service holds the lock table.
 */
final class LockCluster implements AutoCloseable {

	static final Duration BOUND = Duration.ofSeconds(30);

	private final List<ConfigurableApplicationContext> members = new ArrayList<>();

	private final Path state;

	private LockCluster(Path state) {
		this.state = state;
	}

	static LockCluster start(int size, String... properties) throws Exception {
		LockCluster cluster = new LockCluster(Files.createTempDirectory("corosync4j-locks"));
		int port = FreePort.udp();
		try {
			for (int node = 1; node <= size; node++) {
				List<String> settings = new ArrayList<>(List.of("corosync.totem.port=" + port,
						"corosync.totem.token=1000", "corosync.local-address=127.0.0." + node,
						"corosync.system.state-dir=" + cluster.state.resolve("n" + node),
						"spring.main.banner-mode=off"));
				for (int i = 1; i <= size; i++) {
					settings.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
					settings.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
				}
				settings.addAll(List.of(properties));
				cluster.members.add(new SpringApplicationBuilder(Member.class).web(WebApplicationType.NONE)
					.properties(settings.toArray(String[]::new))
					.run());
			}
			for (ConfigurableApplicationContext member : cluster.members) {
				LockService service = member.getBean(CorosyncLocks.class).getLockService();
				service.ready().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
			}
			return cluster;
		}
		catch (Exception | Error ex) {
			cluster.close();
			throw ex;
		}
	}

	ConfigurableApplicationContext member(int node) {
		return this.members.get(node - 1);
	}

	CorosyncLockRegistry registry(int node) {
		return member(node).getBean(CorosyncLockRegistry.class);
	}

	LockService lockService(int node) {
		return member(node).getBean(CorosyncLocks.class).getLockService();
	}

	/** Stops member {@code node}'s cluster node, leaving its application context (and its threads) running. */
	void stopNode(int node) {
		member(node).getBean(CorosyncNodeLifecycle.class).stop();
	}

	@Override
	public void close() {
		for (ConfigurableApplicationContext member : this.members) {
			member.close();
		}
		FileSystemUtils.deleteRecursively(this.state.toFile());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ CorosyncAutoConfiguration.class, CorosyncLockAutoConfiguration.class })
	static class Member {

	}

}
