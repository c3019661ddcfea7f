package io.corosync4j.spring.actuate;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.lock.LockMode;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.lock.CorosyncLock;
import io.corosync4j.spring.lock.CorosyncLockAutoConfiguration;
import io.corosync4j.spring.lock.CorosyncLockRegistry;
import io.corosync4j.spring.lock.CorosyncLocks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class CorosyncEndpointTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, EndpointAutoConfiguration.class,
					CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"),
					"management.endpoints.web.exposure.include=corosync");
	}

	@Test
	void describesTheNodeRingQuorumAndLinks() {
		runner().run((context) -> {
			CorosyncEndpoint.NodeDescriptor node = context.getBean(CorosyncEndpoint.class).corosync();
			assertThat(node.nodeId()).isEqualTo(1);
			assertThat(node.synced()).isTrue();
			assertThat(node.members()).singleElement().satisfies((member) -> {
				assertThat(member.address()).isEqualTo("r(0) ip(127.0.0.1)");
				assertThat(member.local()).isTrue();
			});
			assertThat(node.quorum()).isNotNull();
			assertThat(node.quorum().flags()).contains("Quorate");
			assertThat(node.quorum().totalVotes()).isEqualTo(1);
			assertThat(node.links()).singleElement().satisfies((link) -> assertThat(link.transport()).isEqualTo("udpu"));
		});
	}

	@Test
	void showsTheLockServiceOnceTheApplicationStartedIt() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncLockAutoConfiguration.class)).run((context) -> {
			CorosyncEndpoint endpoint = context.getBean(CorosyncEndpoint.class);
			assertThat(endpoint.corosync().locks()).isNull();
			assertThat(context.getBean(CorosyncLocks.class).getLockServiceIfStarted()).as("not started by the endpoint")
				.isNull();
			CorosyncLock lock = context.getBean(CorosyncLockRegistry.class).obtain("orders");
			assertThat(lock.tryLock(20, TimeUnit.SECONDS)).isTrue();
			try {
				CorosyncEndpoint.LocksDescriptor locks = endpoint.corosync().locks();
				assertThat(locks).isNotNull();
				assertThat(locks.inPrimaryComponent()).isTrue();
				assertThat(locks.resources()).singleElement().satisfies((resource) -> {
					assertThat(resource.name()).isEqualTo("spring:orders");
					assertThat(resource.waiters()).isEmpty();
					assertThat(resource.holders()).singleElement().satisfies((holder) -> {
						assertThat(holder.nodeid()).isEqualTo(1);
						assertThat(holder.owner()).isEqualTo(Thread.currentThread().getId());
						assertThat(holder.mode()).isEqualTo(LockMode.EXCLUSIVE);
						assertThat(holder.fencingToken()).isEqualTo(lock.fencingToken());
						assertThat(holder.orphaned()).isFalse();
						assertThat(holder.inGrace()).isFalse();
					});
				});
				assertThat(JsonMapper.builder().build().writeValueAsString(locks))
					.contains("\"inPrimaryComponent\":true", "\"name\":\"spring:orders\"", "\"mode\":\"EXCLUSIVE\"",
							"\"inGrace\":false");
			}
			finally {
				lock.unlock();
			}
			assertThat(endpoint.corosync().locks().resources()).isEmpty();
		});
	}

	@Test
	void listsCmapKeysByPrefix() {
		runner().run((context) -> {
			CorosyncEndpoint.CmapDescriptor cmap = context.getBean(CorosyncEndpoint.class).cmap("runtime.votequorum.");
			assertThat(cmap.entries()).anySatisfy((entry) -> {
				assertThat(entry.key()).isEqualTo("runtime.votequorum.this_node_id");
				assertThat(entry.type()).isEqualTo("u32");
				assertThat(entry.value()).isEqualTo("1");
			});
		});
	}

	@Test
	void writeOperationsAreForbiddenUnlessEnabled() {
		runner().run((context) -> assertThat(context.getBean(CorosyncEndpoint.class).operate("reload", null, null)
			.getStatus()).isEqualTo(403));
		runner().withPropertyValues("corosync.endpoint.write-operations=true").run((context) -> {
			CorosyncEndpoint endpoint = context.getBean(CorosyncEndpoint.class);
			// the node's configuration came from properties, not a file: nothing to re-read
			assertThat(endpoint.operate("reload", null, null).getStatus()).isEqualTo(400);
			assertThat(endpoint.operate("kill-node", 9L, null).getStatus()).isEqualTo(400);
			assertThat(endpoint.operate("kill-node", null, null).getStatus()).isEqualTo(400);
			assertThat(endpoint.operate("dance", null, null).getStatus()).isEqualTo(404);
		});
	}

	@Test
	void backsOffWithoutActuatorOrWhenNotExposed() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class,
					CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CorosyncEndpoint.class));
		runner().withPropertyValues("management.endpoint.corosync.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(CorosyncEndpoint.class));
	}

}
