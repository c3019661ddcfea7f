package io.corosync4j.spring.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's cluster test: three members of one application in this JVM, a stop and a restart. */
class CorosyncClusterTests {

	// tag::cluster[]
	@Test
	void everyMemberAppliesTheSameOrders() {
		try (CorosyncCluster cluster = CorosyncCluster.of(ShopApplication.class).members(3).start()) {
			for (int i = 1; i <= 3; i++) {
				cluster.member(i).getBean(CpgTemplate.class).send("orders", "order from " + i);
			}
			cluster.awaitDelivered("orders", 3);
			List<String> first = cluster.member(1).getBean(Orders.class).received;
			assertThat(first).hasSize(3);
			cluster.members().forEach((member) -> assertThat(member.getBean(Orders.class).received).isEqualTo(first));
			// end::cluster[]

			cluster.stop(2);
			cluster.awaitRing();
			assertThat(cluster.members()).hasSize(2);
			cluster.start(2);
			assertThat(cluster.members()).hasSize(3);
			// tag::cluster[]
		}
	}
	// end::cluster[]

	@Test
	void theClusterSettingsWinOverTheApplicationsAndTheUsersOverTheClusters() {
		try (CorosyncCluster cluster = CorosyncCluster.of(ShopApplication.class).members(1)
			.properties("corosync.totem.cluster-name=shop", "corosync.totem.token=700ms")
			.start()) {
			assertThat(cluster.member(1).getEnvironment().getProperty("corosync.totem.cluster-name")).isEqualTo("shop");
			assertThat(cluster.member(1).getEnvironment().getProperty("corosync.totem.token")).isEqualTo("700ms");
			assertThat(cluster.member(1).getEnvironment().getProperty("corosync.totem.port", Integer.class))
				.isEqualTo(cluster.port());
		}
	}

	@SpringBootApplication
	static class ShopApplication {

	}

	@Component
	static class Orders {

		final List<String> received = new CopyOnWriteArrayList<>();

		@CpgListener(group = "orders")
		void order(String order) {
			this.received.add(order);
		}

	}

}
