package io.corosync4j.engine.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.totem.pg.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of {@code docs/embedding.md}, run: node 1 of a three-node ring on this machine starts the
 * way the page shows, from its file and the real host, beside nodes 2 and 3. The tagged regions are what
 * the page shows ({@code io.corosync4j.engine.docs.DocsTests} checks that they match).
 */
class EmbeddingDocsTests {

	@TempDir
	Path directory;

	@Test
	void aNodeStartsFromItsFileJoinsTheRingAndDeliversItsOwnMessage() throws Exception {
		try (LocalCluster others = new LocalCluster(this.directory, 3, 2000)) {
			others.start(2);
			others.start(3);
			// node 1 is 127.0.0.1, the only one of the three addresses an interface of this host has
			Path configFile = others.configFile(1);
			CorosyncNode stopped;
			// tag::start[]
			CorosyncConfig config = new CorosyncConfigReader().read(configFile);
			try (CorosyncNode node = CorosyncNode.builder(config).start()) {      // binds, starts Totem
				node.awaitMembership(m -> m.synced() && m.members().size() == 3, Duration.ofSeconds(30));
				BlockingQueue<String> received = new LinkedBlockingQueue<>();
				CorosyncNode.GroupChannel orders = node.openGroup(new Group("orders"),
						(from, message, bigEndian) -> received.add(from + ": " + new String(message, UTF_8)));
				orders.send("hello".getBytes(UTF_8)).join();                    // false: queue full, try again
				String first = received.poll(30, TimeUnit.SECONDS);               // "1: hello"
				// end::start[]
				assertThat(first).isEqualTo("1: hello");
				assertThat(node.membership().members()).containsExactly(1L, 2L, 3L);
				stopped = node;
				// tag::start[]
			}                                                                       // close() sends the leave message
			// end::start[]
			assertThat(stopped.isClosed()).isTrue();
			// the leave message lets the others re-form at once, well before token + consensus (5.8 s here)
			others.node(2).awaitMembership((m) -> m.synced() && m.members().size() == 2, Duration.ofSeconds(4));
		}
	}

}
