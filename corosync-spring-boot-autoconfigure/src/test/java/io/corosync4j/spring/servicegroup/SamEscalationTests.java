package io.corosync4j.spring.servicegroup;

import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.sam.SamAutoConfiguration;
import io.corosync4j.spring.sam.SamHealthCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Component;

import static io.corosync4j.spring.servicegroup.ServiceGroupCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A SAM health check on an {@link ActiveStandbyService} bean escalates to its service group: when the
 * active member's check fails, the standby takes over before SAM restarts the bean, and the restarted
 * bean's unit is a standby again.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SamEscalationTests {

	@Test
	void aFailedHealthCheckOnTheActiveFailsTheGroupOverBeforeSamRestartsTheBean() throws Exception {
		try (ServiceGroupCluster cluster = ServiceGroupCluster.start(2, Application.class)) {
			Await.until("node 1 active", BOUND, () -> cluster.bean(1, Watched.class).active);
			Watched first = cluster.bean(1, Watched.class);
			first.healthy = false;
			Await.until("node 2 active", BOUND, () -> cluster.bean(2, Watched.class).active);
			assertThat(first.active).isFalse();
			assertThat(first.stoppedAs).isEqualTo(ServiceUnitState.FAILED);
			ServiceUnit unit = cluster.bean(1, ActiveStandbyServiceRegistrar.class).unit("watched");
			Await.until("node 1's unit repaired after the restart", BOUND,
					() -> unit != null && unit.state() == ServiceUnitState.STANDBY);
			assertThat(cluster.bean(2, Watched.class).active).isTrue();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(SamAutoConfiguration.class)
	@Import(Watched.class)
	static class Application {

	}

	@Component
	static class Watched implements ActiveStandbyService {

		volatile boolean healthy = true;

		volatile boolean active;

		volatile ServiceUnitState stoppedAs;

		@Override
		public String getServiceGroup() {
			return "watched";
		}

		@Override
		public void start(StateChange change) {
			this.active = true;
		}

		@Override
		public void stop(StateChange change) {
			this.active = false;
			this.stoppedAs = ServiceUnitState.FAILED;
			// the restart SAM does next brings a healthy bean back
			this.healthy = true;
		}

		@SamHealthCheck(interval = "300ms")
		boolean healthy() {
			return this.healthy;
		}

	}

}
