package io.corosync4j.spring;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;

import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/** A {@code corosync.*} key that is no property fails the start and names the property meant. */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertyTests {

	@TempDir
	Path state;

	@Test
	void aMisspelledKeyFailsTheStartNamingTheNearestProperty(CapturedOutput output) {
		SpringApplicationBuilder application = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("corosync.totem.port=" + FreePort.udp(), "corosync.system.state-dir=" + this.state,
					"corosync.totem.tokn=1000", "spring.main.banner-mode=off");
		assertThatException().isThrownBy(application::run);
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Property: corosync.totem.tokn")
			.contains("Value: \"1000\"")
			.contains("Did you mean: corosync.totem.token")
			.doesNotContain("Started");
	}

	@Test
	void corosyncConfSpellingsAndOtherTyposAreMatched() {
		assertThat(CorosyncPropertyNames.nearest("corosync.nodelist[2].ring0_addr")).isEqualTo("corosync.nodelist[2].ring0-addr");
		assertThat(CorosyncPropertyNames.nearest("corosync.totem.cryptocipher")).isEqualTo("corosync.totem.crypto-cipher");
		assertThat(CorosyncPropertyNames.nearest("corosync.quorum.two_node")).isEqualTo("corosync.quorum.two-node");
		assertThat(CorosyncPropertyNames.nearest("corosync.cpg.sendqueue")).isEqualTo("corosync.cpg.send-queue");
		assertThat(CorosyncPropertyNames.nearest("corosync.lock.key_prefix")).isEqualTo("corosync.lock.key-prefix");
		assertThat(CorosyncPropertyNames.nearest("corosync.totally.different")).isNull();
		assertThat(CorosyncPropertyNames.all()).contains("corosync.enabled", "corosync.sam.exit-on-quit",
				"corosync.endpoint.write-operations", "corosync.nodelist[*].quorum-votes", "corosync.totem.crypto-model",
				"corosync.lock.enabled", "corosync.lock.grace", "corosync.lock.answer-timeout");
	}

	@Test
	void theNamesAreTheMetadatasProperties() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			metadata = JsonMapper.builder().build().readTree(in);
		}
		Set<String> described = new TreeSet<>();
		metadata.get("properties").forEach((property) -> described.add(property.get("name").asString()));
		described.removeIf((name) -> !name.startsWith("corosync.") || name.equals("corosync.nodelist"));
		Set<String> walked = new TreeSet<>(CorosyncPropertyNames.all());
		walked.removeIf((name) -> name.contains("[*]"));
		assertThat(walked).isEqualTo(described);
		assertThat(CorosyncPropertyNames.nearest("corosync.cpg.recovry")).isEqualTo("corosync.cpg.recovery");
	}

	@Test
	void everyKnownKeyBinds() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, CpgAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.system.state-dir=" + this.state,
					"corosync.enabled=true", "corosync.sam.exit-on-quit=false", "corosync.sam.quorum-readiness=true",
					"corosync.endpoint.write-operations=false", "corosync.totem.crypto-model=jca",
					"corosync.lock.key-prefix=app:", "corosync.lock.grace=1s", "corosync.lock.deadlock-detection=true",
					"corosync.nodelist[0].nodeid=1", "corosync.nodelist[0].ring0-addr=127.0.0.1")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
