package io.corosync4j.spring;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that stops itself after an internal error (here: its ring id can no longer be stored, where
 * the {@code corosync} daemon exits with status 21) turns the {@code corosync} health DOWN and tells the
 * application with a {@link CorosyncNodeFailedEvent}; an application that exits on that event ends with
 * the daemon's status. A node another member kills through CFG turns it DOWN too, with a
 * {@link CorosyncNodeShutdownEvent}.
 */
class NodeFailureTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	@Test
	void aNodeThatStopsItselfTurnsTheHealthDownAndTellsTheApplication() throws Exception {
		int port = FreePort.udp();
		Path state = this.directory.resolve("state1");
		CorosyncNode other = startOther(port);
		try {
			runner(port, state).run((context) -> {
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				node.awaitMembership((m) -> m.synced() && m.members().size() == 2, BOUND);
				HealthIndicator ring = (HealthIndicator) context
					.getBean("corosyncHealthContributor", CompositeHealthContributor.class)
					.getContributor("ring");
				assertThat(ring.health().getStatus()).isEqualTo(Status.UP);

				// the state directory turns into a file, then the other node goes: the new ring's id
				// cannot be stored
				makeUnwritable(state);
				other.crash();

				Failures failures = context.getBean(Failures.class);
				Await.until("the application is told", BOUND, () -> !failures.events.isEmpty());
				CorosyncNodeFailedEvent event = failures.events.get(0);
				assertThat(event.getFailure()).isSameAs(node.failure());
				assertThat(event.getFailure().exitStatus()).isEqualTo(21);
				Health health = ring.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("state", "failed").containsEntry("nodeId", 1L);
				assertThat((String) health.getDetails().get("error")).contains("Couldn't store new ring id");
			});
		}
		finally {
			other.crash();
		}
	}

	@Test
	void aNodeKilledByAnotherMemberTurnsTheHealthDownAndTellsTheApplication() throws Exception {
		int port = FreePort.udp();
		CorosyncNode other = startOther(port);
		try {
			runner(port, this.directory.resolve("state1")).run((context) -> {
				CorosyncNode node = context.getBean(CorosyncNodeLifecycle.class).getNode();
				node.awaitMembership((m) -> m.synced() && m.members().size() == 2, BOUND);
				other.cfg().killNode(1, "maintenance").get(10, TimeUnit.SECONDS);

				Failures failures = context.getBean(Failures.class);
				Await.until("the application is told", BOUND, () -> !failures.shutdowns.isEmpty());
				assertThat(failures.shutdowns.get(0).getShutdown().exitStatus()).isEqualTo(255);
				assertThat(failures.events).isEmpty();
				HealthIndicator ring = (HealthIndicator) context
					.getBean("corosyncHealthContributor", CompositeHealthContributor.class)
					.getContributor("ring");
				Health health = ring.health();
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(health.getDetails()).containsEntry("state", "stopped")
					.containsEntry("reason", "killed by node 2: maintenance");
				other.awaitMembership((m) -> m.synced() && m.members().equals(List.of(2L)), BOUND);
			});
		}
		finally {
			other.crash();
		}
	}

	@Test
	void anApplicationThatExitsOnTheEventEndsWithTheDaemonsStatus() throws Exception {
		int port = FreePort.udp();
		Path state = this.directory.resolve("state1");
		Path log = this.directory.resolve("application.log");
		CorosyncNode other = startOther(port);
		// C1 only and the serial collector: the JVM starts faster, which is all this process needs
		Process application = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
				ExitingApplication.class.getName(),
				"--corosync.totem.port=" + port, "--corosync.totem.token=500", "--corosync.system.state-dir=" + state,
				"--corosync.local-address=127.0.0.1", "--corosync.nodelist[0].nodeid=1",
				"--corosync.nodelist[0].ring0-addr=127.0.0.1", "--corosync.nodelist[1].nodeid=2",
				"--corosync.nodelist[1].ring0-addr=127.0.0.2")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		try {
			// a Spring application in a JVM of its own: on a busy host its start alone can take a minute
			Await.until("the application started or ended", Duration.ofSeconds(180),
					() -> readQuietly(log).contains(ExitingApplication.READY) || !application.isAlive());
			assertThat(readQuietly(log)).as("the application's output").contains(ExitingApplication.READY);
			other.awaitMembership((m) -> m.synced() && m.members().size() == 2, BOUND);
			makeUnwritable(state);
			other.crash();
			assertThat(application.waitFor(60, TimeUnit.SECONDS)).as("the application exited").isTrue();
			assertThat(application.exitValue()).as(readQuietly(log)).isEqualTo(21);
		}
		finally {
			application.destroyForcibly();
			other.crash();
		}
	}

	/** Node 1 in an application context, with node 2 ({@link #startOther}) in its nodelist. */
	private static ApplicationContextRunner runner(int port, Path state) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Failures.class)
			.withPropertyValues("corosync.totem.port=" + port, "corosync.totem.token=500",
					"corosync.system.state-dir=" + state, "corosync.local-address=127.0.0.1",
					"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1",
					"corosync.nodelist[1].nodeid=2", "corosync.nodelist[1].ring0-addr=127.0.0.2");
	}

	/** Turns the state directory into a file: the next ring id cannot be stored. */
	private static void makeUnwritable(Path state) throws IOException {
		try (Stream<Path> files = Files.list(state)) {
			for (Path file : files.toList()) {
				Files.delete(file);
			}
		}
		Files.delete(state);
		Files.writeString(state, "not a directory");
	}

	private static String readQuietly(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "";
		}
	}

	private CorosyncNode startOther(int port) throws IOException {
		Path file = this.directory.resolve("n2.conf");
		Files.writeString(file, """
				totem {
				 version: 2
				 cluster_name: corosync4j
				 transport: udpu
				 token: 500
				 interface {
				  linknumber: 0
				  mcastport: %d
				 }
				}
				nodelist {
				 node {
				  ring0_addr: 127.0.0.1
				  nodeid: 1
				 }
				 node {
				  ring0_addr: 127.0.0.2
				  nodeid: 2
				 }
				}
				system {
				 state_dir: %s
				}
				""".formatted(port, this.directory.resolve("state2")));
		return CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(file))
			.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(InetAddress.getByName("127.0.0.2"))))
			.start();
	}

	@Configuration(proxyBeanMethods = false)
	static class Failures {

		final List<CorosyncNodeFailedEvent> events = new CopyOnWriteArrayList<>();

		final List<CorosyncNodeShutdownEvent> shutdowns = new CopyOnWriteArrayList<>();

		@EventListener
		void failed(CorosyncNodeFailedEvent event) {
			this.events.add(event);
		}

		@EventListener
		void shutDown(CorosyncNodeShutdownEvent event) {
			this.shutdowns.add(event);
		}

	}

}
