package io.corosync4j.spring.health;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.spring.CorosyncIpcLifecycle;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.checkpoint.CorosyncCheckpoints;
import io.corosync4j.spring.event.EventChannelListenerEndpointRegistry;
import io.corosync4j.spring.message.QueueListenerEndpointRegistry;
import io.corosync4j.spring.servicegroup.CorosyncServiceGroups;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * {@code corosync}: {@code ring}, {@code quorum}, {@code ipc} when the node serves Corosync's tools, one
 * child per SAM component (as registered now), and
 * {@code serviceGroups} and {@code checkpoints} once the application started those services, and
 * {@code eventChannels} and {@code queueListeners} when the application has such listeners.
 */
public class CorosyncHealthContributor implements CompositeHealthContributor {

	private static final String SERVICE_GROUPS = "serviceGroups";

	private static final String CHECKPOINTS = "checkpoints";

	private static final String EVENT_CHANNELS = "eventChannels";

	private static final String QUEUE_LISTENERS = "queueListeners";

	private static final String IPC = "ipc";

	private final CorosyncRingHealthIndicator ring;

	private final CorosyncQuorumHealthIndicator quorum;

	private final @Nullable Sam sam;

	private final @Nullable CorosyncServiceGroups serviceGroups;

	private final @Nullable CorosyncCheckpoints checkpoints;

	private final @Nullable EventChannelListenerEndpointRegistry eventListeners;

	private final @Nullable QueueListenerEndpointRegistry queueListeners;

	private final @Nullable CorosyncIpcHealthIndicator ipc;

	public CorosyncHealthContributor(CorosyncNodeLifecycle lifecycle, @Nullable Sam sam) {
		this(lifecycle, sam, null, null);
	}

	/**
	 * @param lifecycle the node
	 * @param sam the application's SAM components, if any
	 * @param serviceGroups the service group holder, if service groups are enabled
	 * @param checkpoints the checkpoint holder, if checkpoints are enabled
	 */
	public CorosyncHealthContributor(CorosyncNodeLifecycle lifecycle, @Nullable Sam sam,
			@Nullable CorosyncServiceGroups serviceGroups, @Nullable CorosyncCheckpoints checkpoints) {
		this(lifecycle, sam, serviceGroups, checkpoints, null, null);
	}

	/**
	 * As {@link #CorosyncHealthContributor(CorosyncNodeLifecycle, Sam, CorosyncServiceGroups, CorosyncCheckpoints)},
	 * with the event channel and queue listeners, if those integrations are enabled.
	 */
	public CorosyncHealthContributor(CorosyncNodeLifecycle lifecycle, @Nullable Sam sam,
			@Nullable CorosyncServiceGroups serviceGroups, @Nullable CorosyncCheckpoints checkpoints,
			@Nullable EventChannelListenerEndpointRegistry eventListeners,
			@Nullable QueueListenerEndpointRegistry queueListeners) {
		this(lifecycle, sam, serviceGroups, checkpoints, eventListeners, queueListeners, null);
	}

	/**
	 * As {@link #CorosyncHealthContributor(CorosyncNodeLifecycle, Sam, CorosyncServiceGroups, CorosyncCheckpoints,
	 * EventChannelListenerEndpointRegistry, QueueListenerEndpointRegistry)}, with the node's IPC when
	 * {@code corosync.ipc.enabled} serves it.
	 */
	public CorosyncHealthContributor(CorosyncNodeLifecycle lifecycle, @Nullable Sam sam,
			@Nullable CorosyncServiceGroups serviceGroups, @Nullable CorosyncCheckpoints checkpoints,
			@Nullable EventChannelListenerEndpointRegistry eventListeners,
			@Nullable QueueListenerEndpointRegistry queueListeners, @Nullable CorosyncIpcLifecycle ipc) {
		this.ipc = (ipc != null) ? new CorosyncIpcHealthIndicator(ipc) : null;
		this.eventListeners = eventListeners;
		this.queueListeners = queueListeners;
		this.ring = new CorosyncRingHealthIndicator(lifecycle);
		this.quorum = new CorosyncQuorumHealthIndicator(lifecycle);
		this.sam = sam;
		this.serviceGroups = serviceGroups;
		this.checkpoints = checkpoints;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return switch (name) {
			case "ring" -> this.ring;
			case "quorum" -> this.quorum;
			case SERVICE_GROUPS -> serviceGroups();
			case CHECKPOINTS -> checkpoints();
			case EVENT_CHANNELS -> eventChannels();
			case QUEUE_LISTENERS -> queueListeners();
			case IPC -> this.ipc;
			default -> {
				SamComponent component = (this.sam != null) ? this.sam.component(name) : null;
				yield (component != null) ? new SamComponentHealthIndicator(component) : null;
			}
		};
	}

	@Override
	public Stream<Entry> stream() {
		List<Entry> entries = new ArrayList<>(List.of(new Entry("ring", this.ring), new Entry("quorum", this.quorum)));
		if (this.ipc != null) {
			entries.add(new Entry(IPC, this.ipc));
		}
		if (this.sam != null) {
			for (SamComponent component : this.sam.components()) {
				entries.add(new Entry(component.name(), new SamComponentHealthIndicator(component)));
			}
		}
		HealthContributor serviceGroups = serviceGroups();
		if (serviceGroups != null) {
			entries.add(new Entry(SERVICE_GROUPS, serviceGroups));
		}
		HealthContributor checkpoints = checkpoints();
		if (checkpoints != null) {
			entries.add(new Entry(CHECKPOINTS, checkpoints));
		}
		HealthContributor eventChannels = eventChannels();
		if (eventChannels != null) {
			entries.add(new Entry(EVENT_CHANNELS, eventChannels));
		}
		HealthContributor queueListeners = queueListeners();
		if (queueListeners != null) {
			entries.add(new Entry(QUEUE_LISTENERS, queueListeners));
		}
		return entries.stream();
	}

	private @Nullable HealthContributor serviceGroups() {
		CorosyncServiceGroups holder = this.serviceGroups;
		return (holder != null && holder.getServiceGroupServiceIfStarted() != null)
				? new ServiceGroupHealthIndicator(holder) : null;
	}

	private @Nullable HealthContributor checkpoints() {
		CorosyncCheckpoints holder = this.checkpoints;
		return (holder != null && holder.getCheckpointServiceIfStarted() != null) ? new CheckpointHealthIndicator(holder)
				: null;
	}

	private @Nullable HealthContributor eventChannels() {
		EventChannelListenerEndpointRegistry registry = this.eventListeners;
		return (registry != null && !registry.getStatistics().isEmpty())
				? new EventChannelListenersHealthIndicator(registry) : null;
	}

	private @Nullable HealthContributor queueListeners() {
		QueueListenerEndpointRegistry registry = this.queueListeners;
		return (registry != null && !registry.getStatistics().isEmpty()) ? new QueueListenersHealthIndicator(registry)
				: null;
	}

}
