package io.corosync4j.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import io.corosync4j.spring.test.CorosyncCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as three instances on 127.0.0.1–3: writes through any instance reach all, a late instance
 * receives the state before it serves, and one that leaves does not stop the others.
 */
class KvReplicationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private final HttpClient http = HttpClient.newHttpClient();

	private CorosyncCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void writesReplicateAndALateInstanceGetsTheStateBeforeServing() throws Exception {
		// two of a three-node nodelist, web servers on free ports
		this.cluster = CorosyncCluster.of(KvApplication.class).members(2).nodelist(3).web(WebApplicationType.SERVLET)
			.start();
		ConfigurableApplicationContext one = this.cluster.member(1);
		ConfigurableApplicationContext two = this.cluster.member(2);
		await("node 2 ready", () -> store(two).isReady());
		assertThat(put(one, "color", "red")).contains("\"version\":1");
		assertThat(put(two, "shape", "round")).contains("\"version\":2");
		for (int i = 0; i < 50; i++) {
			put((i % 2 == 0) ? one : two, "k" + i, "v" + i);
		}
		assertThat(get(two, "/kv/color")).contains("\"value\":\"red\"");

		// a third instance joins a group that already holds 52 writes
		this.cluster.start(3);
		ConfigurableApplicationContext three = this.cluster.member(3);
		await("node 3 holds the state", () -> store(three).isReady());
		// readiness follows quorum, reported on its own thread: node 3 was alone (inquorate) before it merged
		await("node 3 accepts traffic", () -> three.getBean(ApplicationAvailability.class).getReadinessState()
				== ReadinessState.ACCEPTING_TRAFFIC);
		assertThat(get(three, "/kv")).isEqualTo(get(one, "/kv")).contains("\"version\":52");
		put(three, "late", "yes");
		await("the write from node 3 everywhere", () -> get(one, "/kv/late").contains("yes"));

		// node 1 leaves; the others go on and agree
		this.cluster.stop(1);
		put(two, "after", "one left");
		await("node 3 sees it", () -> get(three, "/kv/after").contains("one left"));
		assertThat(get(three, "/kv")).isEqualTo(get(two, "/kv"));
	}

	private static ReplicatedStore store(ConfigurableApplicationContext context) {
		return context.getBean(ReplicatedStore.class);
	}

	private String put(ConfigurableApplicationContext context, String key, String value) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(uri(context, "/kv/" + key))
			.header("Content-Type", "text/plain")
			.PUT(HttpRequest.BodyPublishers.ofString(value))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private String get(ConfigurableApplicationContext context, String path) {
		try {
			return this.http.send(HttpRequest.newBuilder(uri(context, path)).build(), HttpResponse.BodyHandlers.ofString())
				.body();
		}
		catch (IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

	private static void await(String what, BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError(what + " did not happen within " + BOUND);
			}
			Thread.sleep(20);
		}
	}


}
