package io.corosync4j.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.test.CorosyncCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's order numbers on three instances: a client asks any instance and moves on when it is not
 * the active one; the active instance's node crashes; the client goes on, and the numbers it received are
 * 1, 2, 3… with none repeated and none skipped.
 */
class OrderNumbersTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	private static final Pattern ORDER = Pattern.compile("\"order\":(\\d+)");

	private final HttpClient http = HttpClient.newHttpClient();

	private CorosyncCluster cluster;

	@AfterEach
	void stop() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void noOrderNumberIsLostOrRepeatedWhenTheActiveInstanceCrashes() throws Exception {
		this.cluster = CorosyncCluster.of(KvApplication.class).members(3).nodelist(3).web(WebApplicationType.SERVLET)
			.start();
		List<Long> received = new ArrayList<>();
		List<Integer> live = new ArrayList<>(List.of(1, 2, 3));
		for (int i = 0; i < 20; i++) {
			received.add(order(live));
		}
		int active = activeMember(live);
		// the active instance's node stops dead: no farewell, as kill -9 would
		this.cluster.member(active).getBean(CorosyncNodeLifecycle.class).getNode().crash();
		live.remove(Integer.valueOf(active));
		for (int i = 0; i < 20; i++) {
			received.add(order(live));
		}
		assertThat(activeMember(live)).isNotEqualTo(active);
		assertThat(received).containsExactlyElementsOf(LongStream.rangeClosed(1, 40).boxed().toList());
	}

	/** The next order number, from whichever live instance gives one (the others answer 503). */
	private long order(List<Integer> live) throws Exception {
		long deadline = System.nanoTime() + BOUND.toNanos();
		while (true) {
			for (int member : live) {
				HttpResponse<String> response = this.http.send(
						HttpRequest.newBuilder(uri(this.cluster.member(member), "/orders"))
							.POST(HttpRequest.BodyPublishers.noBody())
							.build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 201) {
					Matcher matcher = ORDER.matcher(response.body());
					assertThat(matcher.find()).as(response.body()).isTrue();
					return Long.parseLong(matcher.group(1));
				}
				assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
			}
			if (System.nanoTime() > deadline) {
				throw new AssertionError("no instance handed out an order number within " + BOUND);
			}
			Thread.sleep(50);
		}
	}

	private int activeMember(List<Integer> live) {
		return live.stream()
			.filter((member) -> this.cluster.member(member).getBean(OrderNumbers.class).isActive())
			.findFirst()
			.orElseThrow();
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
