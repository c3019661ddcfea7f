package io.corosync4j.spring.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry;
import io.corosync4j.spring.cpg.CpgListenerEndpointRegistry.GroupStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Totem's counters ({@code stats.srp.*}, {@code stats.pg.*}) as meters, and each CPG group's deliveries
 * to its listeners (tagged by group: a bounded set, the groups this application listens to). Values
 * are read when the registry asks; while the node is not running they read as 0.
 */
public class CorosyncMetrics implements MeterBinder {

	private final CorosyncNodeLifecycle lifecycle;

	private final @Nullable CpgListenerEndpointRegistry listeners;

	public CorosyncMetrics(CorosyncNodeLifecycle lifecycle, @Nullable CpgListenerEndpointRegistry listeners) {
		this.lifecycle = lifecycle;
		this.listeners = listeners;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("corosync.totem.token.rotation", this, stat("mtt_rx_token"))
			.description("Mean time for the token to go round the ring")
			.baseUnit("milliseconds")
			.register(registry);
		counter(registry, "corosync.totem.messages.sent", "mcast_tx", "Messages this node multicast");
		counter(registry, "corosync.totem.messages.received", "mcast_rx", "Messages received from the ring");
		counter(registry, "corosync.totem.messages.retransmitted", "mcast_retx", "Messages this node retransmitted");
		counter(registry, "corosync.totem.membership.changes", "operational_entered",
				"Rings this node installed (membership changes)");
		counter(registry, "corosync.totem.gather.entered", "gather_entered",
				"Times this node started forming a new ring");
		counter(registry, "corosync.totem.token.lost", "operational_token_lost",
				"Times the token was lost in operation (a member failed or the network dropped it)");
		counter(registry, "corosync.totem.consensus.timeouts", "consensus_timeouts",
				"Rounds of ring formation that timed out");
		Gauge.builder("corosync.totem.queue.available", this, (self) -> self.pg("msg_queue_avail"))
			.description("Free slots in Totem's send queue")
			.register(registry);
		FunctionCounter.builder("corosync.totempg.orphaned", this, (self) -> self.pg("orphaned"))
			.description("Chunks of other nodes' messages dropped because this node did not hold their start")
			.register(registry);
		FunctionCounter.builder("corosync.totempg.resent", this, (self) -> self.pg("resent"))
			.description("This node's messages a membership change cut, sent again whole")
			.register(registry);
		Gauge.builder("corosync.quorum.quorate", this, (self) -> {
			CorosyncNode node = self.lifecycle.getNodeIfRunning();
			return (node != null && node.quorate()) ? 1 : 0;
		}).description("1 while this node's partition is quorate").register(registry);
		CpgListenerEndpointRegistry groups = this.listeners;
		if (groups != null) {
			FunctionCounter.builder("corosync.cpg.send.failures", groups, CpgListenerEndpointRegistry::getRefusedSends)
				.description("Sends refused because this member was not in the group (corosync.cpg.join-on-send is off)")
				.tag("group", "")
				.tag("reason", "not-a-member")
				.register(registry);
			groups.onGroupJoined((group) -> {
				if (registry.find("corosync.cpg.delivered").tag("group", group).functionCounter() == null) {
					FunctionCounter.builder("corosync.cpg.delivered", groups, (of) -> statistic(of, group, GroupStatistics::delivered))
						.description("Messages handed to the group's @CpgListener methods")
						.tag("group", group)
						.register(registry);
					Gauge.builder("corosync.cpg.listener.queued", groups, (of) -> statistic(of, group, GroupStatistics::queuedBytes))
						.description("Payload bytes waiting for the group's listeners (corosync.cpg.listener-queue bounds it)")
						.baseUnit("bytes")
						.tag("group", group)
						.register(registry);
					FunctionCounter.builder("corosync.cpg.listener.fell.behind", groups, (of) -> statistic(of, group, GroupStatistics::fellBehind))
						.description("Times this member left the group because its listeners fell behind")
						.tag("group", group)
						.register(registry);
					Gauge.builder("corosync.cpg.listener.backlog", groups, (of) -> statistic(of, group, GroupStatistics::queued))
						.description("Messages and membership changes waiting for the group's listeners")
						.tag("group", group)
						.register(registry);
					FunctionTimer.builder("corosync.cpg.listener.processing", groups,
							(of) -> (long) statistic(of, group, GroupStatistics::handled),
							(of) -> statistic(of, group, GroupStatistics::handlingNanos), TimeUnit.NANOSECONDS)
						.description("Time the group's listener methods took per message, retries included")
						.tag("group", group)
						.register(registry);
					FunctionCounter.builder("corosync.cpg.listener.errors", groups, (of) -> statistic(of, group, GroupStatistics::failures))
						.description("Messages a listener still failed on after its retries")
						.tag("group", group)
						.register(registry);
					FunctionCounter.builder("corosync.cpg.listener.retries", groups, (of) -> statistic(of, group, GroupStatistics::retries))
						.description("Listener invocations repeated after a failure")
						.tag("group", group)
						.register(registry);
					FunctionCounter.builder("corosync.cpg.send.failures", groups, (of) -> statistic(of, group, GroupStatistics::sendTimeouts))
						.description("Sends that found the CPG send queue full for the whole send timeout")
						.tag("group", group)
						.tag("reason", "timeout")
						.register(registry);
				}
			});
		}
	}

	private void counter(MeterRegistry registry, String name, String stat, String description) {
		FunctionCounter.builder(name, this, stat(stat)).description(description).register(registry);
	}

	private static ToDoubleFunction<CorosyncMetrics> stat(String name) {
		return (self) -> self.srp(name);
	}

	private double srp(String name) {
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (node == null || node.isClosed()) {
			return 0;
		}
		Long value = node.totemStats().get(name);
		return (value != null) ? value : 0;
	}

	private double pg(String name) {
		CorosyncNode node = this.lifecycle.getNodeIfRunning();
		if (node == null || node.isClosed()) {
			return 0;
		}
		return node.cmap().getLong("stats.pg." + name).orElse(0L);
	}

	private static double statistic(CpgListenerEndpointRegistry registry, String group,
			ToDoubleFunction<GroupStatistics> value) {
		GroupStatistics one = registry.getStatistics().get(group);
		return (one != null) ? value.applyAsDouble(one) : 0;
	}

}
