package io.corosync4j.spring.sam;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.sam.SamFlag;
import io.corosync4j.engine.sam.SamOptions;
import io.corosync4j.engine.sam.SamPolicy;
import io.corosync4j.engine.sam.SamState;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.FreePort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The examples of {@code docs/sam.md}, run in a one-node ring: a stuck {@link Indexer} is restarted as a
 * new instance, and an application-driven component with the QUORUM and CMAP flags starts, beats and
 * publishes its state, then quits when its heartbeats stop.
 */
class SamDocsTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, SamAutoConfiguration.class))
			.withBean(ApplicationAvailabilityBean.class)
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void aStuckIndexerIsRestartedAsANewInstance() {
		runner().withUserConfiguration(Indexer.class).run((context) -> {
			Indexer indexer = context.getBean(Indexer.class);
			SamComponent component = context.getBean(Sam.class).component("indexer");
			assertThat(component.options()).isEqualTo(SamOptions.of(Duration.ofSeconds(2), SamPolicy.RESTART));
			Await.until("the first heartbeat", BOUND, () -> component.status().lastHeartbeat() > 0);
			indexer.moving.set(false);
			Await.until("a restart", BOUND, () -> component.instanceId() == 2 && indexer.starts.get() == 2);
			Await.until("running again", BOUND, () -> component.status().state() == SamState.RUNNING);
		});
	}

	@Test
	void anApplicationDrivenComponentBeatsPublishesAndQuits() {
		runner().run((context) -> {
			Sam sam = context.getBean(Sam.class);
			AtomicBoolean loaderFailed = new AtomicBoolean();
			// tag::register[]
			SamComponent loader = sam.register("loader",                  // inject the Sam bean
					SamOptions.of(Duration.ofSeconds(1), SamPolicy.QUIT, SamFlag.QUORUM, SamFlag.CMAP),
					new SamComponent.Recovery() {

						@Override
						public void restart(int newInstanceId) {       // only with policy RESTART
						}

						@Override
						public void quit() {                           // policy QUIT: failed for good
							loaderFailed.set(true);
						}
					});
			loader.start();                                            // with QUORUM: once the partition is quorate
			loader.hcSend();                                           // then at least once per interval
			// end::register[]
			Await.until("running", BOUND, () -> loader.status().state() == SamState.RUNNING);
			Await.until("its state in CMAP", BOUND, () -> context.getBean(CorosyncNodeLifecycle.class).getNode().cmap()
				.getString("resources.process.loader.state").isPresent());
			// no more heartbeats: warned after one interval, failed for good after the next
			Await.until("quit", BOUND, loaderFailed::get);
			assertThat(loader.status().state()).isEqualTo(SamState.FAILED);
		});
	}

}
