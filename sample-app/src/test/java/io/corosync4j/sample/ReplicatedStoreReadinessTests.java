package io.corosync4j.sample;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgReason;
import io.corosync4j.engine.totem.wire.RingId;
import io.corosync4j.spring.cpg.CpgTemplate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Boot declares the application ready on the thread that started it while the store may become ready on
 * its listener thread: whichever way the two interleave, the last readiness is the store's.
 */
class ReplicatedStoreReadinessTests {

	private final List<ReadinessState> published = new CopyOnWriteArrayList<>();

	private ReplicatedStore store;

	@Test
	void theStoreBecomingReadyWhileBootsReadinessIsOverruledEndsAccepting() throws Exception {
		Thread[] listener = new Thread[1];
		ApplicationEventPublisher events = (event) -> {
			ReadinessState state = readiness(event);
			if (state == ReadinessState.REFUSING_TRAFFIC && listener[0] == null) {
				// the store decided to overrule Boot: now it becomes ready on its listener thread, before the
				// overruling event is recorded
				listener[0] = new Thread(() -> this.store.changed(firstChange()), "cpg-listener-kv");
				listener[0].start();
				join(listener[0], 300);
			}
			this.published.add(state);
			deliver(event);
		};
		this.store = new ReplicatedStore(mock(CpgTemplate.class), events);
		this.store.onReadiness(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		join(listener[0], 10_000);
		assertThat(this.store.isReady()).isTrue();
		assertThat(this.published).last().isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
	}

	@Test
	void bootsReadinessIsOverruledOnlyUntilTheStoreIsReady() {
		ApplicationEventPublisher events = (event) -> {
			this.published.add(readiness(event));
			deliver(event);
		};
		this.store = new ReplicatedStore(mock(CpgTemplate.class), events);
		this.store.onReadiness(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		assertThat(this.published).containsExactly(ReadinessState.REFUSING_TRAFFIC);
		this.store.changed(firstChange());
		this.store.onReadiness(new AvailabilityChangeEvent<>(this, ReadinessState.ACCEPTING_TRAFFIC));
		assertThat(this.published).containsExactly(ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
	}

	/** As Spring's multicaster: the store hears the events it publishes itself, on the same thread. */
	private void deliver(Object event) {
		if (event instanceof AvailabilityChangeEvent<?> change && change.getSource() == this.store) {
			@SuppressWarnings("unchecked")
			AvailabilityChangeEvent<ReadinessState> readiness = (AvailabilityChangeEvent<ReadinessState>) change;
			this.store.onReadiness(readiness);
		}
	}

	private static ReadinessState readiness(Object event) {
		return (ReadinessState) ((AvailabilityChangeEvent<?>) event).getState();
	}

	/** This process alone joins the group: it is among the first members, ready with an empty store. */
	private static CpgConfigurationChange firstChange() {
		CpgAddress self = new CpgAddress(1, 100, CpgReason.JOIN);
		return new CpgConfigurationChange(CpgName.of(ReplicatedStore.GROUP), List.of(self), List.of(), List.of(self),
				new RingId(1, 4));
	}

	private static void join(Thread thread, long millis) {
		try {
			thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
