package io.corosync4j.spring.servicegroup;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.annotation.InboundChannelAdapter;
import org.springframework.integration.annotation.Poller;
import org.springframework.integration.annotation.Role;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.leader.DefaultCandidate;

/**
 * The Spring Integration example of {@code docs/spring-boot.md}; {@link RoleLeaderElectionTests} runs it
 * on three members.
 */
// tag::role[]
@Configuration(proxyBeanMethods = false)
class Exports {

	@Bean
	DefaultCandidate exportsCandidate() {
		return new DefaultCandidate("exports-candidate", "exports");    // the role names the service group
	}

	@Bean
	QueueChannel exported() {
		return new QueueChannel();
	}

	@Bean
	Exporter exporter() {
		return new Exporter();
	}

	static class Exporter {

		@Role("exports")                              // runs while this member leads the role
		@InboundChannelAdapter(channel = "exported", autoStartup = "false", poller = @Poller(fixedDelay = "100"))
		String export() {
			return "batch";
		}

	}

}
// end::role[]
