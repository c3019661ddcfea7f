package io.corosync4j.spring.servicegroup;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.StateChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.leader.event.LeaderEventPublisher;

/**
 * Leader election for Spring Integration {@link Candidate}s on service groups: one unit per candidate,
 * of the group named by its role. The candidate of the active unit leads: it is granted
 * ({@link Candidate#onGranted}, then an {@code OnGrantedEvent}) when its unit becomes
 * {@link ServiceUnitState#ACTIVE}, and revoked ({@link Candidate#onRevoked}, then an
 * {@code OnRevokedEvent}) as soon as the unit leaves it, whatever the reason: a switchover (revoked on
 * {@link ServiceUnitState#QUIESCING}, and the switchover goes on once it returns), the member's loss of
 * quorum, a failure, the application stopping. Spring Integration's {@code SmartLifecycleRoleController}
 * starts and stops the endpoints of the role on these events.
 *
 * <p>Unlike the lock registry's initiator there is no heartbeat: a change reaches the candidate as the
 * group applies it, and the context's {@link Context#yield()} is a switchover to the best standby.
 */
public class ServiceGroupLeaderInitiator extends ServiceUnitRegistrar {

	private static final Logger logger = LoggerFactory.getLogger(ServiceGroupLeaderInitiator.class);

	private final Supplier<List<Candidate>> candidates;

	private final LeaderEventPublisher events;

	/**
	 * @param serviceGroups the node's service group service
	 * @param defaults the spec of a role's unit before the candidate adjusts it
	 * @param candidates the candidates, asked for at the first start
	 * @param events where grants and revocations are published
	 */
	public ServiceGroupLeaderInitiator(CorosyncServiceGroups serviceGroups, Function<String, ServiceUnitSpec> defaults,
			Supplier<List<Candidate>> candidates, LeaderEventPublisher events) {
		super(serviceGroups, defaults);
		this.candidates = candidates;
		this.events = events;
	}

	@Override
	List<? extends Binding> bindings() {
		return this.candidates.get().stream().map(CandidateBinding::new).toList();
	}

	private final class CandidateBinding extends Binding implements Context {

		private final Candidate candidate;

		private final AtomicBoolean granted = new AtomicBoolean();

		CandidateBinding(Candidate candidate) {
			this.candidate = candidate;
		}

		@Override
		String group() {
			return this.candidate.getRole();
		}

		@Override
		ServiceUnitSpec spec(ServiceUnitSpec defaults) {
			return (this.candidate instanceof ServiceGroupCandidate ranked) ? ranked.getServiceUnitSpec(defaults)
					: defaults;
		}

		@Override
		public void onStateChange(ServiceUnitState previous, ServiceUnitState next, StateChange change) {
			if (next == ServiceUnitState.ACTIVE) {
				grant();
			}
			else {
				try {
					revoke();
				}
				finally {
					if (next == ServiceUnitState.QUIESCING) {
						change.quiesced().complete(null);
					}
				}
			}
		}

		private void grant() {
			if (!this.granted.compareAndSet(false, true)) {
				return;
			}
			try {
				this.candidate.onGranted(this);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.granted.set(false);
				fail("interrupted while granted");
				return;
			}
			catch (RuntimeException ex) {
				this.granted.set(false);
				logger.error("{} failed when granted; reporting its unit failed", this, ex);
				fail("onGranted failed: " + ex);
				return;
			}
			publish(true);
		}

		private void revoke() {
			if (!this.granted.compareAndSet(true, false)) {
				return;
			}
			try {
				this.candidate.onRevoked(this);
			}
			catch (RuntimeException ex) {
				logger.error("{} failed when revoked", this, ex);
			}
			publish(false);
		}

		private void publish(boolean granted) {
			try {
				if (granted) {
					ServiceGroupLeaderInitiator.this.events.publishOnGranted(ServiceGroupLeaderInitiator.this, this,
							group());
				}
				else {
					ServiceGroupLeaderInitiator.this.events.publishOnRevoked(ServiceGroupLeaderInitiator.this, this,
							group());
				}
			}
			catch (RuntimeException ex) {
				logger.error("A listener of the leader events of role '{}' failed", group(), ex);
			}
		}

		@Override
		void withdrawn() {
			if (this.granted.get()) {
				logger.warn("{} is still granted after its unit's withdrawal; revoking it", this);
				revoke();
			}
		}

		// Context

		@Override
		public boolean isLeader() {
			ServiceUnit current = this.unit;
			return this.granted.get() && current != null && current.isActive();
		}

		/** A switchover to the best standby; nothing when this candidate does not lead. */
		@Override
		public void yield() {
			ServiceUnit current = this.unit;
			if (current != null && current.isActive()) {
				current.switchover().whenComplete((done, failure) -> {
					if (failure != null) {
						logger.warn("{} could not yield: {}", this, failure.toString());
					}
				});
			}
		}

		@Override
		public String getRole() {
			return group();
		}

		@Override
		public String toString() {
			return "candidate " + this.candidate.getId() + " of role '" + group() + "'";
		}

	}

}
