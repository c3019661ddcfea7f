package io.corosync4j.spring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A refused configuration is explained in the terms it was written in: {@code corosync.*} properties as
 * Boot explains a bad property (property, value, origin, and a fix in property terms), a
 * {@code corosync.conf} in its own terms with its line.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigFailureAnalysisTests {

	@TempDir
	Path state;

	private void analysis(Consumer<FailureAnalysis> check, String... properties) {
		Environment[] environment = new Environment[1];
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class))
			.withInitializer((context) -> environment[0] = context.getEnvironment())
			.withPropertyValues("corosync.system.state-dir=" + this.state, "corosync.totem.port=" + FreePort.udp())
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new CorosyncConfigFailureAnalyzer(environment[0])
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				check.accept(analysis);
			});
	}

	@Test
	void aDurationOutOfRangeAsksForADuration() {
		analysis((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: corosync.totem.token", "Value: \"-3s\"",
					"Origin: \"corosync.totem.token\" from property source", "Reason: Value of key \"totem.token\"");
			assertThat(analysis.getAction()).contains("corosync.totem.token: set a duration such as 3s or 500ms")
				.doesNotContain("decimal number");
		}, "corosync.totem.token=-3s");
	}

	@Test
	void theCryptoPairAndTheTransportAreNamedAsProperties() {
		analysis((analysis) -> assertThat(analysis.getAction())
			.contains("corosync.totem.crypto-hash: set corosync.totem.crypto-hash to sha256"),
				"corosync.totem.transport=knet", "corosync.totem.crypto-cipher=aes256");
		analysis((analysis) -> assertThat(analysis.getAction())
			.contains("corosync.totem.transport: set udpu (the default), udp or knet")
			.doesNotContain("knet (default"), "corosync.totem.transport=tcp");
	}

	@Test
	void aLocalAddressOfNoNodeNamesThatProperty() {
		analysis((analysis) -> {
			assertThat(analysis.getDescription()).contains("Property: corosync.local-address", "Value: \"10.9.9.9\"",
					"Reason: no corosync.nodelist entry has this address");
			assertThat(analysis.getAction()).contains("corosync.local-address: set the ring0-addr");
		}, "corosync.local-address=10.9.9.9");
	}

	@Test
	void aLocalAddressThatIsNoAddressIsABadPropertyValue(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("corosync.totem.port=" + FreePort.udp(), "corosync.system.state-dir=" + this.state,
					"corosync.local-address=not an address", "spring.main.banner-mode=off");
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid value 'not an address' for configuration property 'corosync.local-address'");
	}

	@Test
	void bootReportsItWithTheValueAndWhereItWasSet(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("corosync.totem.port=" + FreePort.udp(), "corosync.system.state-dir=" + this.state,
					"corosync.totem.join=-1s", "spring.main.banner-mode=off");
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START", "Property: corosync.totem.join", "Value: \"-1s\"",
				"corosync.totem.join: set a duration such as 50ms, not negative");
	}

	@Test
	void aCorosyncConfKeepsItsOwnTermsAndLines() throws Exception {
		Path file = this.state.resolve("corosync.conf");
		Files.writeString(file, """
				totem {
				    version: 2
				    cluster_name: c
				    token: -3
				}
				nodelist {
				    node {
				        nodeid: 1
				        ring0_addr: 127.0.0.1
				    }
				}
				""");
		analysis((analysis) -> {
			assertThat(analysis.getDescription()).contains(file + ":4: totem.token:");
			assertThat(analysis.getAction()).contains("write a decimal number without sign, unit or comment");
		}, "corosync.config-file=" + file);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
