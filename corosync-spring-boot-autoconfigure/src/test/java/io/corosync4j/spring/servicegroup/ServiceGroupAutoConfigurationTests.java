package io.corosync4j.spring.servicegroup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.servicegroup.ChangeReason;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import io.corosync4j.spring.Await;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.FreePort;
import io.corosync4j.spring.actuate.CorosyncEndpoint;
import io.corosync4j.spring.actuate.CorosyncEndpointAutoConfiguration;
import io.corosync4j.spring.health.CorosyncHealthContributor;
import io.corosync4j.spring.health.CorosyncHealthContributorAutoConfiguration;
import io.corosync4j.spring.metrics.CorosyncMetricsAutoConfiguration;
import io.corosync4j.spring.metrics.CorosyncServiceGroupMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.DefaultLockRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service group auto-configuration on a one-node ring: an {@link ActiveStandbyService} bean is
 * started as its unit becomes active and stopped when it fails, every change is an event, and the
 * health contributor, meters and endpoint show the groups.
 */
class ServiceGroupAutoConfigurationTests {

	private static final Duration BOUND = Duration.ofSeconds(30);

	@TempDir
	Path directory;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(CorosyncAutoConfiguration.class, ServiceGroupAutoConfiguration.class))
			.withPropertyValues("corosync.totem.port=" + FreePort.udp(), "corosync.totem.token=500",
					"corosync.system.state-dir=" + this.directory.resolve("state"));
	}

	@Test
	void anActiveStandbyServiceStartsWhenItsUnitIsActiveAndStopsWhenItFails() {
		runner().withUserConfiguration(Singleton.class)
			.withPropertyValues("corosync.service-group.default-rank=7", "corosync.service-group.quiesce-timeout=5s")
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				Await.until("the reports active", BOUND, () -> reports.running);
				assertThat(reports.changes).first().satisfies((change) -> {
					assertThat(change.reason()).isEqualTo(ChangeReason.STARTUP);
					assertThat(change.assignment()).isPositive();
				});
				ServiceGroupService service = context.getBean(CorosyncServiceGroups.class).getServiceGroupService();
				ServiceUnit unit = service.units().get("reports");
				assertThat(unit.spec()).isEqualTo(new ServiceUnitSpec("reports", 7, Duration.ZERO, Duration.ofSeconds(5)));
				assertThat(context.getBean(ActiveStandbyServiceRegistrar.class).isActive("reports")).isTrue();
				Events events = context.getBean(Events.class);
				Await.until("the activation published", BOUND, () -> events.states().contains(ServiceUnitState.ACTIVE));

				unit.fail("disk full").get(10, TimeUnit.SECONDS);
				Await.until("the reports stopped", BOUND, () -> !reports.running);
				Await.until("the failure published", BOUND, () -> events.states().contains(ServiceUnitState.FAILED));
				ServiceUnitStateChangedEvent failed = events.received.get(events.received.size() - 1);
				assertThat(failed.getGroup()).isEqualTo("reports");
				assertThat(failed.getPreviousState()).isEqualTo(ServiceUnitState.ACTIVE);
				assertThat(failed.getReason()).isEqualTo(ChangeReason.FAILED);
				assertThat(failed.getUnit()).isSameAs(unit);
				assertThat(failed.getSource()).isSameAs(context.getBean(CorosyncServiceGroups.class));
				assertThat(events.threads).as("never the event loop").allMatch("corosync-service-groups"::equals);

				unit.repair().get(10, TimeUnit.SECONDS);
				Await.until("the reports active again", BOUND, () -> reports.running);
			});
	}

	@Test
	void aRestartedContextOffersTheUnitAgainOnItsNewNode() {
		runner().withUserConfiguration(Singleton.class).run((context) -> {
			Reports reports = context.getBean(Reports.class);
			Await.until("the reports active", BOUND, () -> reports.running);
			ServiceGroupService before = context.getBean(CorosyncServiceGroups.class).getServiceGroupService();
			context.getSourceApplicationContext().stop();
			assertThat(reports.running).as("stopped with the application, before the node").isFalse();
			assertThat(reports.changes).last().satisfies((change) -> assertThat(change.reason()).isEqualTo(ChangeReason.WITHDRAWN));
			context.getSourceApplicationContext().start();
			Await.until("the reports active again", BOUND, () -> reports.running);
			assertThat(context.getBean(CorosyncServiceGroups.class).getServiceGroupServiceIfStarted()).isNotSameAs(before);
		});
	}

	@Test
	void beansAndCandidatesChooseTheirOwnSpec() {
		runner().withUserConfiguration(Ranked.class).run((context) -> {
			RankedCandidate candidate = context.getBean(RankedCandidate.class);
			Await.until("the candidate granted", BOUND, () -> candidate.context != null);
			assertThat(candidate.context.isLeader()).isTrue();
			assertThat(candidate.context.getRole()).isEqualTo("billing");
			Map<String, ServiceUnit> units = context.getBean(CorosyncServiceGroups.class).getServiceGroupService().units();
			assertThat(units.get("billing").spec().rank()).isEqualTo(3);
			assertThat(units.get("audit").spec().grace()).isEqualTo(Duration.ofSeconds(2));
			assertThat(context.getBean(ServiceGroupLeaderInitiator.class).isActive("billing")).isTrue();
		});
	}

	@Test
	void aSpecOfAnotherGroupFailsTheStart() {
		runner().withBean(ActiveStandbyService.class, () -> new Reports() {

			@Override
			public ServiceUnitSpec getServiceUnitSpec(ServiceUnitSpec defaults) {
				return ServiceUnitSpec.of("elsewhere");
			}

		}).run((context) -> assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("elsewhere"));
	}

	@Test
	void theServiceStartsWithTheFirstUnitOnly() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(CorosyncServiceGroups.class).hasSingleBean(ActiveStandbyServiceRegistrar.class);
			assertThat(context.getBean(CorosyncServiceGroups.class).getServiceGroupServiceIfStarted()).isNull();
		});
	}

	@Test
	void canBeTurnedOff() {
		runner().withUserConfiguration(Singleton.class)
			.withPropertyValues("corosync.service-group.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(CorosyncServiceGroups.class)
				.doesNotHaveBean(ActiveStandbyServiceRegistrar.class)
				.doesNotHaveBean(ServiceGroupLeaderInitiator.class));
	}

	@Test
	void candidatesAreElectedWithSpringIntegrationOnly() {
		runner().run((context) -> assertThat(context).hasSingleBean(ServiceGroupLeaderInitiator.class));
		runner().withClassLoader(new FilteredClassLoader(Candidate.class))
			.withUserConfiguration(Singleton.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ServiceGroupLeaderInitiator.class);
				Await.until("the reports active", BOUND, () -> context.getBean(Reports.class).running);
			});
	}

	@Test
	void theInitiatorBacksOffForTheLockRegistrysOwn() {
		runner().withUserConfiguration(LockElection.class)
			.run((context) -> assertThat(context).hasSingleBean(LockRegistryLeaderInitiator.class)
				.doesNotHaveBean(ServiceGroupLeaderInitiator.class));
	}

	@Test
	void twoBeansOfOneGroupFailTheStart() {
		runner().withUserConfiguration(Singleton.class, SecondReports.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("EXISTS"));
	}

	@Test
	void theHealthContributorShowsTheGroupsAndIsDownWhenAUnitFailed() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncHealthContributorAutoConfiguration.class))
			.withUserConfiguration(Singleton.class)
			.run((context) -> {
				Reports reports = context.getBean(Reports.class);
				Await.until("the reports active", BOUND, () -> reports.running);
				CorosyncHealthContributor contributor = context.getBean(CorosyncHealthContributor.class);
				assertThat(contributor.stream().map(CorosyncHealthContributor.Entry::name)).contains("serviceGroups");
				HealthIndicator indicator = (HealthIndicator) contributor.getContributor("serviceGroups");
				Health health = indicator.health(true);
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("inPrimaryComponent", true);
				@SuppressWarnings("unchecked")
				Map<String, Map<String, Object>> groups = (Map<String, Map<String, Object>>) health.getDetails()
					.get("groups");
				assertThat(groups.get("reports")).containsEntry("state", ServiceUnitState.ACTIVE)
					.containsEntry("active", context.getBean(CorosyncServiceGroups.class)
						.getServiceGroupService()
						.groups()
						.get(10, TimeUnit.SECONDS)
						.get(0)
						.active()
						.toString());
				ServiceUnit unit = context.getBean(CorosyncServiceGroups.class).getServiceGroupService().units().get("reports");
				unit.fail("broken").get(10, TimeUnit.SECONDS);
				Await.until("the unit failed", BOUND, () -> unit.state() == ServiceUnitState.FAILED);
				assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
			});
	}

	@Test
	void theHealthContributorHasNoServiceGroupsChildUntilTheServiceStarted() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncHealthContributorAutoConfiguration.class))
			.run((context) -> {
				CorosyncHealthContributor contributor = context.getBean(CorosyncHealthContributor.class);
				assertThat(contributor.stream().map(CorosyncHealthContributor.Entry::name))
					.doesNotContain("serviceGroups");
				assertThat(contributor.getContributor("serviceGroups")).isNull();
			});
	}

	@Test
	void metersCountActivationsAndUnitsByState() {
		runner().withConfiguration(AutoConfigurations.of(CorosyncMetricsAutoConfiguration.class))
			.withUserConfiguration(Singleton.class)
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(CorosyncServiceGroupMetrics.class).bindTo(registry);
				Await.until("the reports active", BOUND, () -> context.getBean(Reports.class).running);
				assertThat(registry.get("corosync.servicegroup.units").tag("state", "active").gauge().value()).isEqualTo(1);
				assertThat(registry.get("corosync.servicegroup.units").tag("state", "failed").gauge().value()).isZero();
				assertThat(registry.get("corosync.servicegroup.activations").functionCounter().count()).isEqualTo(1);
				assertThat(registry.get("corosync.servicegroup.failovers").functionCounter().count()).isZero();
				assertThat(registry.get("corosync.servicegroup.switchovers").functionCounter().count()).isZero();
				assertThat(registry.get("corosync.servicegroup.fencing.failures").functionCounter().count()).isZero();
			});
	}

	@Test
	void theEndpointShowsTheGroupsAndSwitchesOverOnlyWhenWritesAreOn() {
		runner().withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=corosync")
			.withUserConfiguration(Singleton.class)
			.run((context) -> {
				Await.until("the reports active", BOUND, () -> context.getBean(Reports.class).running);
				CorosyncEndpoint endpoint = context.getBean(CorosyncEndpoint.class);
				CorosyncEndpoint.ServiceGroupsDescriptor groups = endpoint.corosync().serviceGroups();
				assertThat(groups).isNotNull();
				assertThat(groups.inPrimaryComponent()).isTrue();
				assertThat(groups.units()).containsEntry("reports", ServiceUnitState.ACTIVE);
				assertThat(groups.groups()).singleElement().satisfies((group) -> {
					assertThat(group.name()).isEqualTo("reports");
					assertThat(group.active()).isNotNull();
					assertThat(group.units()).singleElement()
						.satisfies((unit) -> assertThat(unit.state()).isEqualTo(ServiceUnitState.ACTIVE));
				});
				assertThat(endpoint.operate("switchover", null, null, "reports").getStatus()).isEqualTo(403);
			});
		runner().withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=corosync",
					"corosync.endpoint.write-operations=true")
			.withUserConfiguration(Singleton.class)
			.run((context) -> {
				Await.until("the reports active", BOUND, () -> context.getBean(Reports.class).running);
				CorosyncEndpoint endpoint = context.getBean(CorosyncEndpoint.class);
				assertThat(endpoint.operate("switchover", null, null, null).getStatus())
					.isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
				// one unit: nobody to switch to
				WebEndpointResponse<Map<String, Object>> alone = endpoint.operate("switchover", null, null, "reports");
				assertThat(alone.getStatus()).isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
				assertThat(alone.getBody().get("error").toString()).contains("INVALID");
				assertThat(endpoint.operate("switchover", 9L, null, "reports").getStatus())
					.isEqualTo(WebEndpointResponse.STATUS_BAD_REQUEST);
			});
	}

	@Test
	void theEndpointLeavesOutServiceGroupsUntilTheServiceStarted() {
		runner().withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
				CorosyncEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=corosync")
			.run((context) -> {
				assertThat(context.getBean(CorosyncEndpoint.class).corosync().serviceGroups()).isNull();
				assertThat(context.getBean(CorosyncServiceGroups.class).getServiceGroupServiceIfStarted()).isNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Singleton {

		@Bean
		Reports reports() {
			return new Reports();
		}

		@Bean
		Events events() {
			return new Events();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class SecondReports {

		@Bean
		Reports secondReports() {
			return new Reports();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LockElection {

		@Bean
		LockRegistryLeaderInitiator lockInitiator() {
			return new LockRegistryLeaderInitiator(new DefaultLockRegistry(), new DefaultCandidate("one", "x"));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Ranked {

		@Bean
		RankedCandidate rankedCandidate() {
			return new RankedCandidate();
		}

		@Bean
		Reports audit() {
			return new Reports() {

				@Override
				public String getServiceGroup() {
					return "audit";
				}

				@Override
				public ServiceUnitSpec getServiceUnitSpec(ServiceUnitSpec defaults) {
					return defaults.withGrace(Duration.ofSeconds(2));
				}

			};
		}

	}

	static class RankedCandidate implements ServiceGroupCandidate {

		volatile @Nullable Context context;

		@Override
		public String getRole() {
			return "billing";
		}

		@Override
		public String getId() {
			return "billing-1";
		}

		@Override
		public ServiceUnitSpec getServiceUnitSpec(ServiceUnitSpec defaults) {
			return defaults.withRank(3);
		}

		@Override
		public void onGranted(Context context) {
			this.context = context;
		}

		@Override
		public void onRevoked(Context context) {
			this.context = null;
		}

	}

	static class Reports implements ActiveStandbyService {

		final List<StateChange> changes = new CopyOnWriteArrayList<>();

		volatile boolean running;

		@Override
		public String getServiceGroup() {
			return "reports";
		}

		@Override
		public void start(StateChange change) {
			this.changes.add(change);
			this.running = true;
		}

		@Override
		public void stop(StateChange change) {
			this.changes.add(change);
			this.running = false;
		}

	}

	static class Events implements ApplicationListener<ServiceUnitStateChangedEvent> {

		final List<ServiceUnitStateChangedEvent> received = new CopyOnWriteArrayList<>();

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(ServiceUnitStateChangedEvent event) {
			this.received.add(event);
			this.threads.add(Thread.currentThread().getName());
		}

		List<ServiceUnitState> states() {
			return this.received.stream().map(ServiceUnitStateChangedEvent::getState).toList();
		}

	}

}
