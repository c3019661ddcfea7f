package io.corosync4j.spring.sam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.spring.FreePort;
import io.corosync4j.engine.sam.SamPolicy;
import io.corosync4j.spring.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAM in an application: a failing @SamHealthCheck turns its health DOWN and RESTART brings it back as
 * the next instance; when the ring loses quorum, readiness refuses traffic. Two nodes (expected votes 2):
 * this application and one beside it.
 */
@SpringBootTest(classes = SamApplicationTests.SamApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SamApplicationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final int PORT = FreePort.udp();

	private static Path state;

	private static ConfigurableApplicationContext other;

	@Autowired
	Worker worker;

	@Autowired
	ApplicationAvailability availability;

	@LocalServerPort
	int httpPort;

	@BeforeAll
	static void startTheOtherNode() throws IOException {
		state = Files.createTempDirectory("corosync4j-sam");
		other = new SpringApplicationBuilder(SamApplication.class).web(WebApplicationType.NONE).properties(properties(2)).run();
	}

	@AfterAll
	static void stopTheOtherNode() {
		if (other != null) {
			other.close();
		}
	}

	@DynamicPropertySource
	static void nodeOne(DynamicPropertyRegistry registry) {
		for (String property : properties(1)) {
			int at = property.indexOf('=');
			registry.add(property.substring(0, at), () -> property.substring(at + 1));
		}
	}

	private static String[] properties(int node) {
		return new String[] { "corosync.totem.port=" + PORT, "corosync.totem.token=500",
				"corosync.local-address=127.0.0." + node, "corosync.system.state-dir=" + state.resolve("n" + node),
				"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1",
				"corosync.nodelist[1].nodeid=2", "corosync.nodelist[1].ring0-addr=127.0.0.2",
				"management.endpoints.web.exposure.include=health,corosync",
				"management.endpoint.health.show-details=always", "spring.main.banner-mode=off" };
	}

	@Test
	void aFailingCheckIsRestartedAndQuorumLossRefusesTraffic() throws Exception {
		Await.until("the worker checked and UP", BOUND, () -> health("/actuator/health/corosync/worker").contains("\"UP\""));
		assertThat(health("/actuator/corosync")).contains("\"name\":\"worker\"").contains("\"instanceId\":1");

		this.worker.healthy = false;
		// warned for one interval (UP: SamComponentHealthIndicatorTests), then recovered by a restart
		Await.until("the worker restarted as instance 2 and UP", BOUND, () -> {
			String health = health("/actuator/health/corosync/worker");
			return health.contains("\"UP\"") && health.contains("\"instanceId\":2");
		});
		assertThat(this.worker.starts).isEqualTo(2);

		assertThat(this.availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
		other.close();
		other = null;
		Await.until("readiness refusing without quorum", BOUND,
				() -> this.availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
		assertThat(health("/actuator/health/corosync/quorum")).contains("\"DOWN\"");
	}

	private String health(String path) {
		try {
			return HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path)).build(),
						HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class SamApplication {

		@Bean
		Worker worker() {
			return new Worker();
		}

	}

	/** A component that can be made unhealthy and is healthy again after a restart. */
	static class Worker implements SmartLifecycle {

		volatile boolean healthy = true;

		volatile int starts;

		private volatile boolean running;

		@SamHealthCheck(name = "worker", interval = "400ms", policy = SamPolicy.RESTART)
		boolean check() {
			return this.healthy;
		}

		@Override
		public void start() {
			this.starts++;
			this.healthy = true;
			this.running = true;
		}

		@Override
		public void stop() {
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

	}

}
