package io.corosync4j.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

/**
 * Application contexts of one ring in this JVM, each with the given configuration: member <i>n</i> is
 * node <i>n</i> on 127.0.0.<i>n</i>, on a UDP port the OS had free, with a state directory of its own.
 */
public final class ContextCluster implements AutoCloseable {

	private final List<ConfigurableApplicationContext> members = new ArrayList<>();

	private final Path state;

	private ContextCluster(Path state) {
		this.state = state;
	}

	public static ContextCluster start(int size, Class<?>[] configuration, String... properties) throws Exception {
		ContextCluster cluster = new ContextCluster(Files.createTempDirectory("corosync4j-cluster"));
		int port = FreePort.udp();
		try {
			for (int node = 1; node <= size; node++) {
				List<String> settings = new ArrayList<>(List.of("corosync.totem.port=" + port,
						"corosync.totem.token=1000", "corosync.local-address=127.0.0." + node,
						"corosync.system.state-dir=" + cluster.state.resolve("n" + node), "spring.main.banner-mode=off"));
				for (int i = 1; i <= size; i++) {
					settings.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
					settings.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
				}
				settings.addAll(List.of(properties));
				cluster.members.add(new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
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

	public ConfigurableApplicationContext member(int node) {
		return this.members.get(node - 1);
	}

	public <T> T bean(int node, Class<T> type) {
		return member(node).getBean(type);
	}

	@Override
	public void close() {
		for (ConfigurableApplicationContext member : this.members) {
			member.close();
		}
		FileSystemUtils.deleteRecursively(this.state.toFile());
	}

}
