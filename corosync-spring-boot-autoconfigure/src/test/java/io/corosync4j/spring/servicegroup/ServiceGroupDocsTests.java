package io.corosync4j.spring.servicegroup;

import java.io.IOException;
import java.time.Duration;

import io.corosync4j.spring.CorosyncProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service group configuration of {@code docs/spring-boot.md} binds; its Java examples run in
 * {@link ActiveStandbyTests} ({@link Sequencer}) and {@link RoleLeaderElectionTests} ({@link Exports}).
 */
class ServiceGroupDocsTests {

	@Test
	void theServiceGroupPropertiesBind() throws IOException {
		Binder binder = new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader()
			.load("service-groups", new ClassPathResource("docs/service-groups.yaml"))));
		CorosyncProperties.ServiceGroup settings = binder.bind("corosync", CorosyncProperties.class)
			.get()
			.getServiceGroup();
		assertThat(settings.isEnabled()).isTrue();
		assertThat(settings.getDefaultRank()).isEqualTo(1);
		assertThat(settings.getGrace()).isEqualTo(Duration.ofSeconds(5));
		assertThat(settings.getQuiesceTimeout()).isEqualTo(Duration.ofSeconds(10));
	}

}
