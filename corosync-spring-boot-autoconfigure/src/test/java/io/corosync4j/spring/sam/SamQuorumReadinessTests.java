package io.corosync4j.spring.sam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.spring.Await;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that starts without quorum refuses traffic from the start, although Boot declares it
 * ready once it started, and accepts it once the partition is quorate. Two nodes, expected votes 2.
 */
class SamQuorumReadinessTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private final int port = FreePort.udp();

	@TempDir
	Path state;

	private ConfigurableApplicationContext one;

	private ConfigurableApplicationContext two;

	@AfterEach
	void close() {
		if (this.two != null) {
			this.two.close();
		}
		if (this.one != null) {
			this.one.close();
		}
	}

	@Test
	void anApplicationThatStartsWithoutQuorumRefusesTrafficUntilItHasQuorum() throws Exception {
		this.one = start(1);
		ApplicationAvailability availability = this.one.getBean(ApplicationAvailability.class);
		Await.until("node 1 alone refusing traffic", BOUND,
				() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);

		this.two = start(2);
		Await.until("node 1 accepting traffic with quorum", BOUND,
				() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(this.two.getBean(ApplicationAvailability.class).getReadinessState())
			.isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
	}

	private ConfigurableApplicationContext start(int node) throws Exception {
		Path dir = Files.createDirectories(this.state.resolve("n" + node));
		return new SpringApplicationBuilder(SamApplicationTests.SamApplication.class).web(WebApplicationType.NONE)
			.properties("corosync.totem.port=" + this.port, "corosync.totem.token=500",
					"corosync.local-address=127.0.0." + node, "corosync.system.state-dir=" + dir,
					"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1",
					"corosync.nodelist[1].nodeid=2", "corosync.nodelist[1].ring0-addr=127.0.0.2",
					"spring.main.banner-mode=off")
			.run();
	}

}
