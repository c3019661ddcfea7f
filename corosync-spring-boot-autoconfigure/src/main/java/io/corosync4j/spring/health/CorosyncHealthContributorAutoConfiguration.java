package io.corosync4j.spring.health;

import java.util.Map;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code corosync} health contributor, with {@code ring} and {@code quorum} children
 * ({@code management.health.corosync.enabled}).
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnClass(HealthContributor.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnEnabledHealthIndicator("corosync")
public final class CorosyncHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "corosyncHealthContributor")
	CompositeHealthContributor corosyncHealthContributor(CorosyncNodeLifecycle lifecycle) {
		return CompositeHealthContributor.fromMap(Map.of("ring", new CorosyncRingHealthIndicator(lifecycle), "quorum",
				new CorosyncQuorumHealthIndicator(lifecycle)));
	}

}
