package io.corosync4j.spring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of a corosync4j cluster node: from {@code corosync.*} properties, or from the
 * {@code corosync.conf} that {@code corosync.config-file} (or {@code COROSYNC_MAIN_CONFIG_FILE}) names.
 * {@code corosync.enabled=false} turns it off.
 */
@AutoConfiguration
@ConditionalOnClass(CorosyncNode.class)
@ConditionalOnProperty(prefix = "corosync", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(CorosyncProperties.class)
public final class CorosyncAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	CorosyncConfig corosyncConfig(CorosyncProperties properties) {
		return new CorosyncConfigFactory(System.getenv()).create(properties);
	}

	@Bean
	@ConditionalOnMissingBean
	CorosyncNodeLifecycle corosyncNode(CorosyncConfig config, CorosyncProperties properties) {
		Duration settle = (properties.getStartupSettle() != null) ? properties.getStartupSettle()
				: Duration.ofMillis(config.totem().timers().token());
		return new CorosyncNodeLifecycle(config, hostNetwork(properties), properties.getCpg().getSendQueue().toBytes(),
				properties.getStartupTimeout(), settle);
	}

	private static HostNetwork hostNetwork(CorosyncProperties properties) {
		String local = properties.getLocalAddress();
		if (local == null) {
			return HostNetwork.system();
		}
		try {
			return HostNetwork.withLocalAddresses(HostNetwork.system(), List.of(InetAddress.getByName(local)));
		}
		catch (UnknownHostException ex) {
			throw new InvalidConfigurationPropertyValueException("corosync.local-address", local,
					"Not an IP address, nor a host name this machine resolves. Set it to this node's ring0-addr in "
							+ "corosync.nodelist.");
		}
	}

}
