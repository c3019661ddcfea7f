package io.corosync4j.spring.event;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.messaging.Converters;
import io.corosync4j.spring.messaging.ListenerErrorHandler;
import io.corosync4j.spring.messaging.ListenerMethods;
import io.corosync4j.spring.messaging.LoggingListenerErrorHandler;
import io.corosync4j.spring.messaging.Retries;
import io.corosync4j.spring.messaging.Settings;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * {@link EventChannelListener @EventChannelListener} methods and {@link EventChannelTemplate} on the
 * auto-configured node ({@code corosync.events.*}), converting payloads with the same
 * {@code cpgMessageConverter} as the CPG listeners. The node's event service starts when a listener
 * subscribes or the template first publishes.
 */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, CpgAutoConfiguration.class })
@ConditionalOnClass(DefaultMessageHandlerMethodFactory.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnProperty(prefix = "corosync.events", name = "enabled", matchIfMissing = true)
public final class EventChannelAutoConfiguration {

	private static final String DEFAULT_ERROR_HANDLER = "eventChannelListenerErrorHandler";

	@Bean
	static EventChannelListenerAnnotationBeanPostProcessor eventChannelListenerAnnotationBeanPostProcessor() {
		return new EventChannelListenerAnnotationBeanPostProcessor();
	}

	/** Retries by {@code corosync.events.retry.*}, then logs: a listener that gives up on an event skips it. */
	@Bean
	@ConditionalOnMissingBean(name = DEFAULT_ERROR_HANDLER)
	ListenerErrorHandler eventChannelListenerErrorHandler(CorosyncProperties properties) {
		return new LoggingListenerErrorHandler(
				Retries.backOff(properties.getEvents().getRetry(), "corosync.events.retry"), "event channel");
	}

	@Bean
	@ConditionalOnMissingBean
	EventChannelListenerEndpointRegistry eventChannelListenerEndpointRegistry(CorosyncNodeLifecycle node,
			CorosyncProperties properties, ConfigurableApplicationContext context, BeanFactory beanFactory,
			ObjectProvider<ObservationRegistry> observations) {
		CorosyncProperties.Events events = properties.getEvents();
		int queue = Settings.between("corosync.events.listener-queue", events.getListenerQueue(), 1, 1 << 20);
		return new EventChannelListenerEndpointRegistry(node,
				ListenerMethods.factory(Converters.shared(context), beanFactory),
				beanFactory.getBean(DEFAULT_ERROR_HANDLER, ListenerErrorHandler.class),
				(name) -> beanFactory.getBean(name, ListenerErrorHandler.class), queue,
				observations(events, observations));
	}

	@Bean
	@ConditionalOnMissingBean
	EventChannelTemplate eventChannelTemplate(CorosyncNodeLifecycle node, CorosyncProperties properties,
			ConfigurableApplicationContext context, ObjectProvider<ObservationRegistry> observations) {
		CorosyncProperties.Events events = properties.getEvents();
		String publisher = (events.getPublisher() != null) ? events.getPublisher()
				: context.getEnvironment().getProperty("spring.application.name", "");
		EventChannelTemplate.Defaults defaults = new EventChannelTemplate.Defaults(events.getDefaultChannel(), publisher,
				Settings.priority("corosync.events.default-priority", events.getDefaultPriority()),
				Settings.notNegative("corosync.events.default-retention", events.getDefaultRetention()),
				events.isPublishStable(), Settings.positive("corosync.events.ready-timeout", events.getReadyTimeout()));
		return new EventChannelTemplate(node, Converters.shared(context), defaults, observations(events, observations));
	}

	private static ObservationRegistry observations(CorosyncProperties.Events events,
			ObjectProvider<ObservationRegistry> observations) {
		return events.isObservationEnabled() ? observations.getIfAvailable(() -> ObservationRegistry.NOOP)
				: ObservationRegistry.NOOP;
	}

}
