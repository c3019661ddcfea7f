package io.corosync4j.spring;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/**
 * Auto-configuration of a corosync4j cluster node: from {@code corosync.*} properties, or from the
 * {@code corosync.conf} that {@code corosync.config-file} (or {@code COROSYNC_MAIN_CONFIG_FILE}) names.
 * {@code corosync.enabled=false} turns it off. With {@code corosync.ipc.enabled} the node also serves
 * Corosync's tools and client libraries over libqb IPC.
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

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty(prefix = "corosync.ipc", name = "enabled")
	CorosyncIpcLifecycle corosyncIpc(CorosyncNodeLifecycle node, CorosyncProperties properties) {
		return new CorosyncIpcLifecycle(node, ipcSettings(properties.getIpc()));
	}

	private static IpcSettings ipcSettings(CorosyncProperties.Ipc ipc) {
		IpcSettings settings = IpcSettings.defaults();
		DataSize queue = ipc.getConnectionQueueSize();
		if (queue.toBytes() < settings.maxMessageSize()) {
			throw new InvalidConfigurationPropertyValueException("corosync.ipc.connection-queue-size", queue,
					"Must hold at least one message of the largest size libqb clients use: set it to 1MB or more.");
		}
		settings = settings.withConnectionQueueBytes(queue.toBytes());
		String namespace = ipc.getNetworkNamespace();
		if (namespace != null) {
			Path file = Path.of(namespace);
			if (!Files.exists(file)) {
				throw new InvalidConfigurationPropertyValueException("corosync.ipc.network-namespace", namespace,
						"No such file. Name a network namespace file, such as /run/netns/NAME after 'ip netns add "
								+ "NAME', or /proc/PID/ns/net of a process in it.");
			}
			settings = settings.withNetworkNamespace(file);
		}
		return settings;
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
