package io.corosync4j.spring.lock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.DefaultCandidate;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/** The leader election example of {@code docs/spring-boot.md}; {@link LockDocsTests} runs it. */
// tag::leader[]
@Configuration(proxyBeanMethods = false)
class NightlyJobs {

	@Bean
	LockRegistryLeaderInitiator nightlyJobsLeader(LockRegistry<?> locks, Scheduler scheduler) {
		return new LockRegistryLeaderInitiator(locks, scheduler);    // started with the application
	}

	@Bean
	Scheduler scheduler() {
		return new Scheduler();
	}

	static class Scheduler extends DefaultCandidate {

		volatile boolean leading;

		Scheduler() {
			super("scheduler", "nightly-jobs");       // the role names the lock: spring:nightly-jobs
		}

		@Override
		public void onGranted(Context context) {      // this member leads until revoked
			this.leading = true;
		}

		@Override
		public void onRevoked(Context context) {      // stop, or yield with context.yield()
			this.leading = false;
		}

	}

}
// end::leader[]
