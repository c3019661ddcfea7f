package io.corosync4j.spring.sam;

import java.nio.file.Path;
import java.time.Duration;

import io.corosync4j.spring.FreePort;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.sam.SamFlag;
import io.corosync4j.engine.sam.SamPolicy;
import io.corosync4j.engine.sam.SamState;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SamAutoConfigurationTests {

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
	void annotatedChecksBecomeComponentsWithTheirOptionsAndCmapKeys() {
		runner().withUserConfiguration(Checks.class).run((context) -> {
			Sam sam = context.getBean(Sam.class);
			SamComponent component = sam.component("ledger");
			assertThat(component).isNotNull();
			assertThat(component.options().interval()).isEqualTo(Duration.ofMillis(300));
			assertThat(component.options().flags()).containsExactly(SamFlag.CMAP);
			assertThat(component.status().state()).isEqualTo(SamState.RUNNING);
			assertThat(sam.components()).extracting(SamComponent::name)
				.anySatisfy((name) -> assertThat(name).endsWith("Checks.defaults"));
			Await.until("the CMAP keys", Duration.ofSeconds(10), () -> context.getBean(
					CorosyncNodeLifecycle.class).getNode().cmap()
				.getString("resources.process.ledger.state").isPresent());
		});
	}

	@Test
	void quitMovesLivenessToBroken() {
		runner().withUserConfiguration(Quitting.class).run((context) -> {
			ApplicationAvailabilityBean availability = context.getBean(ApplicationAvailabilityBean.class);
			// what SpringApplication would have published at start
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			Await.until("liveness BROKEN", Duration.ofSeconds(10),
					() -> availability.getLivenessState() == LivenessState.BROKEN);
			assertThat(context.getBean(Sam.class).component("doomed").status().state()).isEqualTo(SamState.FAILED);
		});
	}

	@Test
	void aCheckWithParametersIsRefusedNamingTheMethod() {
		runner().withUserConfiguration(BadCheck.class).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("bad.check")
				.hasMessageContaining("no parameters");
		});
	}

	@Test
	void backsOffWithoutANode() {
		runner().withPropertyValues("corosync.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Sam.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class Checks {

		@SamHealthCheck(name = "ledger", interval = "300ms", flags = SamFlag.CMAP)
		boolean ledger() {
			return true;
		}

		@SamHealthCheck
		boolean defaults() {
			return true;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Quitting {

		@SamHealthCheck(name = "doomed", interval = "500ms", policy = SamPolicy.QUIT)
		boolean doomed() {
			return false;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BadCheck {

		@Bean
		Object bad() {
			return new Object() {

				@SamHealthCheck
				boolean check(String argument) {
					return true;
				}

			};
		}

	}

}
