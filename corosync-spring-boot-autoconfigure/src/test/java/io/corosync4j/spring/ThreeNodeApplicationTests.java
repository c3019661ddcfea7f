package io.corosync4j.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.spring.cpg.CpgHeaders;
import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgMembershipListener;
import io.corosync4j.spring.cpg.CpgTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three Spring Boot applications in one JVM, each a node of one ring on 127.0.0.1–3: the one under test
 * with a web server and Actuator, two more started beside it. Every node's listener sees the same
 * messages in the same order and the same membership changes; health and the endpoint answer over HTTP.
 */
@SpringBootTest(classes = ThreeNodeApplicationTests.ClusterApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ThreeNodeApplicationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final int PORT = FreePort.udp();

	private static Path state;

	private static final List<ConfigurableApplicationContext> others = new ArrayList<>();

	@Autowired
	CpgTemplate template;

	@Autowired
	Recorder recorder;

	@LocalServerPort
	int httpPort;

	@BeforeAll
	static void startTheOtherNodes() throws IOException {
		state = Files.createTempDirectory("corosync4j-three-nodes");
		for (int node = 2; node <= 3; node++) {
			others.add(new SpringApplicationBuilder(ClusterApplication.class).web(WebApplicationType.NONE)
				.properties(properties(node))
				.run());
		}
	}

	@AfterAll
	static void stopTheOtherNodes() {
		for (ConfigurableApplicationContext context : others) {
			context.close();
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
		List<String> properties = new ArrayList<>(List.of("corosync.totem.port=" + PORT, "corosync.totem.token=500",
				"corosync.local-address=127.0.0." + node,
				"corosync.system.state-dir=" + state.resolve("n" + node), "spring.main.banner-mode=off",
				"management.endpoints.web.exposure.include=health,corosync",
				"management.endpoint.health.show-details=always"));
		for (int i = 1; i <= 3; i++) {
			properties.add("corosync.nodelist[" + (i - 1) + "].nodeid=" + i);
			properties.add("corosync.nodelist[" + (i - 1) + "].ring0-addr=127.0.0." + i);
		}
		return properties.toArray(String[]::new);
	}

	@Test
	void listenersAgreeOnOrderAndMembershipAndActuatorShowsTheRing() throws Exception {
		List<Recorder> recorders = new ArrayList<>(List.of(this.recorder));
		others.forEach((context) -> recorders.add(context.getBean(Recorder.class)));
		Await.until("three members in the group", BOUND,
				() -> recorders.stream().allMatch((r) -> r.lastMembers().size() == 3));
		List<CpgTemplate> templates = new ArrayList<>(List.of(this.template));
		others.forEach((context) -> templates.add(context.getBean(CpgTemplate.class)));
		List<Thread> senders = new ArrayList<>();
		for (int node = 0; node < 3; node++) {
			CpgTemplate sender = templates.get(node);
			int from = node + 1;
			Thread thread = new Thread(() -> {
				for (int k = 0; k < 50; k++) {
					sender.send("ledger", new Entry(from, k));
				}
			});
			thread.start();
			senders.add(thread);
		}
		for (Thread thread : senders) {
			thread.join(BOUND.toMillis());
		}
		Await.until("150 entries everywhere", BOUND, () -> recorders.stream().allMatch((r) -> r.entries.size() == 150));
		// one agreed order: every node saw the same sequence
		assertThat(recorders.get(1).entries).isEqualTo(recorders.get(0).entries);
		assertThat(recorders.get(2).entries).isEqualTo(recorders.get(0).entries);
		// and each sender's own order within it
		for (int node = 1; node <= 3; node++) {
			int from = node;
			assertThat(recorders.get(0).entries.stream().filter((e) -> e.startsWith(from + ":")).toList())
				.isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.split(":")[1].split("@")[0]),
						Integer.parseInt(b.split(":")[1].split("@")[0])));
		}

		String health = get("/actuator/health/corosync");
		assertThat(health).contains("\"status\":\"UP\"").contains("\"quorate\":true");
		assertThat(get("/actuator/health/corosync/quorum")).contains("\"status\":\"UP\"");
		String endpoint = get("/actuator/corosync");
		assertThat(endpoint).contains("\"nodeId\":1").contains("\"ledger\"").contains("r(0) ip(127.0.0.3)");
		System.out.println("GET /actuator/corosync on node 1 of 3:\n" + endpoint);

		// node 3 leaves: nodes 1 and 2 see its process go with the same change
		others.get(1).close();
		Await.until("node 3 gone", BOUND, () -> recorders.get(0).lastMembers().size() == 2
				&& recorders.get(1).lastMembers().size() == 2);
		CpgConfigurationChange seenBy1 = recorders.get(0).last();
		CpgConfigurationChange seenBy2 = recorders.get(1).last();
		assertThat(seenBy1).isEqualTo(seenBy2);
		assertThat(seenBy1.left()).singleElement().satisfies((gone) -> {
			assertThat(gone.nodeid()).isEqualTo(3);
			assertThat(gone.reason()).isIn(CpgReason.LEAVE, CpgReason.NODEDOWN);
		});
	}

	private String get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.httpPort + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	record Entry(int node, int sequence) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class ClusterApplication {

		@Bean
		Recorder recorder() {
			return new Recorder();
		}

	}

	static class Recorder {

		final List<String> entries = new CopyOnWriteArrayList<>();

		final List<CpgConfigurationChange> changes = new CopyOnWriteArrayList<>();

		@CpgListener(group = "ledger")
		void entry(Entry entry, @Header(CpgHeaders.NODE_ID) long sender) {
			this.entries.add(entry.node() + ":" + entry.sequence() + "@" + sender);
		}

		@CpgMembershipListener(group = "ledger")
		void changed(CpgConfigurationChange change) {
			this.changes.add(change);
		}

		CpgConfigurationChange last() {
			return this.changes.get(this.changes.size() - 1);
		}

		List<CpgAddress> lastMembers() {
			return this.changes.isEmpty() ? List.of() : last().members();
		}

	}

}
