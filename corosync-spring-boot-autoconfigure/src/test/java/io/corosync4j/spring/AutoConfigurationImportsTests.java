package io.corosync4j.spring;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.corosync4j.spring.actuate.CorosyncEndpointAutoConfiguration;
import io.corosync4j.spring.checkpoint.CheckpointAutoConfiguration;
import io.corosync4j.spring.cluster.ClusterMembershipAutoConfiguration;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.event.EventChannelAutoConfiguration;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import io.corosync4j.spring.lock.CorosyncLockAutoConfiguration;
import io.corosync4j.spring.message.MessageQueueAutoConfiguration;
import io.corosync4j.spring.metrics.CorosyncMetricsAutoConfiguration;
import io.corosync4j.spring.sam.SamAutoConfiguration;
import io.corosync4j.spring.servicegroup.ServiceGroupAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** The imports file lists exactly the auto-configurations, each a public final @AutoConfiguration. */
class AutoConfigurationImportsTests {

	@Test
	void everyAutoConfigurationIsListedAndWellFormed() throws IOException, ClassNotFoundException {
		List<String> listed;
		try (InputStream in = getClass().getResourceAsStream(
				"/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(in).isNotNull();
			listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter((line) -> !line.isBlank()).toList();
		}
		assertThat(listed).containsExactly(CorosyncAutoConfiguration.class.getName(),
				CorosyncHealthContributorAutoConfiguration.class.getName(), SamAutoConfiguration.class.getName(),
				CpgAutoConfiguration.class.getName(), CorosyncLockAutoConfiguration.class.getName(),
				ServiceGroupAutoConfiguration.class.getName(), CheckpointAutoConfiguration.class.getName(),
				EventChannelAutoConfiguration.class.getName(), MessageQueueAutoConfiguration.class.getName(),
				ClusterMembershipAutoConfiguration.class.getName(),
				CorosyncEndpointAutoConfiguration.class.getName(), CorosyncMetricsAutoConfiguration.class.getName());
		for (String name : listed) {
			Class<?> type = Class.forName(name);
			assertThat(type.isAnnotationPresent(AutoConfiguration.class)).as(name).isTrue();
			assertThat(Modifier.isPublic(type.getModifiers()) && Modifier.isFinal(type.getModifiers())).as(name).isTrue();
		}
	}

}
