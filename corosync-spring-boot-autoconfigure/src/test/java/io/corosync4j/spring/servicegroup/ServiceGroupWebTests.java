package io.corosync4j.spring.servicegroup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A one-node web application with Actuator and an {@link ActiveStandbyService}: the groups over HTTP in
 * the endpoint and the health contributor, and the switchover operation's {@code group} parameter.
 */
@SpringBootTest(classes = ServiceGroupWebTests.Application.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServiceGroupWebTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@LocalServerPort
	int httpPort;

	@Autowired
	Mailbox mailbox;

	/** Deleted after the class; read lazily, when the context starts (after JUnit made it). */
	@TempDir
	static Path state;

	@DynamicPropertySource
	static void node(DynamicPropertyRegistry registry) {
		registry.add("corosync.totem.port", FreePort::udp);
		registry.add("corosync.system.state-dir", () -> state.toString());
		registry.add("corosync.endpoint.write-operations", () -> "true");
		registry.add("management.endpoints.web.exposure.include", () -> "health,corosync");
		registry.add("management.endpoint.health.show-details", () -> "always");
	}

	@Test
	void theGroupsAreShownAndSwitchedOverOverHttp() throws Exception {
		Await.until("the mailbox polled here", BOUND, () -> this.mailbox.polling);
		HttpResponse<String> endpoint = send(HttpRequest.newBuilder(uri("/actuator/corosync")).build());
		assertThat(endpoint.statusCode()).isEqualTo(200);
		assertThat(endpoint.body()).contains("\"serviceGroups\":{\"inPrimaryComponent\":true",
				"\"units\":{\"mailbox\":\"ACTIVE\"}", "\"name\":\"mailbox\"", "\"state\":\"ACTIVE\"");
		HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health/corosync/serviceGroups")).build());
		assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
		assertThat(health.body()).contains("\"status\":\"UP\"", "\"mailbox\":{\"state\":\"ACTIVE\"");

		// the group reaches the operation: alone in its group, the unit has nobody to switch to
		HttpResponse<String> switchover = send(HttpRequest.newBuilder(uri("/actuator/corosync/switchover"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"group\":\"mailbox\"}"))
			.build());
		assertThat(switchover.statusCode()).as(switchover.body()).isEqualTo(400);
		assertThat(switchover.body()).contains("INVALID");
		HttpResponse<String> unknown = send(HttpRequest.newBuilder(uri("/actuator/corosync/switchover"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"group\":\"nobody\"}"))
			.build());
		assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(400);
		assertThat(unknown.body()).contains("NOT_FOUND");
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

		@Bean
		Mailbox mailbox() {
			return new Mailbox();
		}

	}

	static class Mailbox implements ActiveStandbyService {

		volatile boolean polling;

		@Override
		public String getServiceGroup() {
			return "mailbox";
		}

		@Override
		public void start(StateChange change) {
			this.polling = true;
		}

		@Override
		public void stop(StateChange change) {
			this.polling = false;
		}

	}

}
