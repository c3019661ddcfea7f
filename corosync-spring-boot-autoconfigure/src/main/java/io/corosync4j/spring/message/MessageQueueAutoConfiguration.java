package io.corosync4j.spring.message;

import io.corosync4j.engine.message.GroupPolicy;
import io.corosync4j.engine.message.QueueAttributes;
import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.cpg.CpgAutoConfiguration;
import io.corosync4j.spring.messaging.Converters;
import io.corosync4j.spring.messaging.ListenerMethods;
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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * {@link QueueListener @QueueListener} methods and {@link MessageQueueTemplate} on the auto-configured
 * node ({@code corosync.messages.*}), converting payloads with the same {@code cpgMessageConverter} as
 * the CPG listeners. The node's message service starts when a listener opens its queue or the template
 * first sends.
 */
@AutoConfiguration(after = { CorosyncAutoConfiguration.class, CpgAutoConfiguration.class })
@ConditionalOnClass(DefaultMessageHandlerMethodFactory.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
@ConditionalOnProperty(prefix = "corosync.messages", name = "enabled", matchIfMissing = true)
public final class MessageQueueAutoConfiguration {

	private static final String DEFAULT_ERROR_HANDLER = "queueListenerErrorHandler";

	@Bean
	static QueueListenerAnnotationBeanPostProcessor queueListenerAnnotationBeanPostProcessor() {
		return new QueueListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	MessageQueueTemplate messageQueueTemplate(CorosyncNodeLifecycle node, CorosyncProperties properties,
			ConfigurableApplicationContext context, ObjectProvider<ObservationRegistry> observations) {
		CorosyncProperties.Messages messages = properties.getMessages();
		MessageQueueTemplate.Defaults defaults = new MessageQueueTemplate.Defaults(
				Settings.priority("corosync.messages.default-priority", messages.getDefaultPriority()),
				Settings.positive("corosync.messages.reply-timeout", messages.getReplyTimeout()),
				Settings.positive("corosync.messages.ready-timeout", messages.getReadyTimeout()));
		return new MessageQueueTemplate(node, Converters.shared(context), defaults, observations(messages, observations),
				context);
	}

	/** Retries by {@code corosync.messages.retry.*}, then {@code corosync.messages.recovery}. */
	@Bean
	@ConditionalOnMissingBean(name = DEFAULT_ERROR_HANDLER)
	QueueListenerErrorHandler queueListenerErrorHandler(CorosyncProperties properties, MessageQueueTemplate template,
			CorosyncNodeLifecycle node) {
		CorosyncProperties.Messages messages = properties.getMessages();
		if (messages.getRecovery() == CorosyncProperties.QueueRecovery.DEAD_LETTER
				&& messages.getDeadLetterGroup() == null) {
			throw new InvalidConfigurationPropertyValueException("corosync.messages.recovery", "dead-letter",
					"Name the queue group with corosync.messages.dead-letter-group.");
		}
		return new DefaultQueueListenerErrorHandler(
				Retries.backOff(messages.getRetry(), "corosync.messages.retry"), messages.getRecovery(),
				messages.getDeadLetterGroup(), template, () -> node.getNode().nodeId(), messages.getReadyTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	QueueListenerEndpointRegistry queueListenerEndpointRegistry(CorosyncNodeLifecycle node,
			CorosyncProperties properties, ConfigurableApplicationContext context, BeanFactory beanFactory,
			ObjectProvider<ObservationRegistry> observations) {
		CorosyncProperties.Messages messages = properties.getMessages();
		return new QueueListenerEndpointRegistry(node,
				ListenerMethods.factory(Converters.shared(context), beanFactory), Converters.shared(context),
				beanFactory.getBean(DEFAULT_ERROR_HANDLER, QueueListenerErrorHandler.class),
				(name) -> beanFactory.getBean(name, QueueListenerErrorHandler.class), settings(messages.getListener()),
				observations(messages, observations));
	}

	private static QueueListenerEndpointRegistry.QueueSettings settings(CorosyncProperties.QueueListener listener) {
		String prefix = "corosync.messages.listener.";
		int prefetch = Settings.between(prefix + "prefetch", listener.getPrefetch(), 1, 65_536);
		int capacity = Settings.between(prefix + "capacity", listener.getCapacity(), 1, Integer.MAX_VALUE);
		long bytes = listener.getCapacityBytes().toBytes();
		if (bytes < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + "capacity-bytes", listener.getCapacityBytes(),
					"At least one byte.");
		}
		QueueAttributes attributes = listener.isPersistent()
				? QueueAttributes.persistentQueue(Settings.positive(prefix + "retention", listener.getRetention()))
				: QueueAttributes.transientQueue();
		return new QueueListenerEndpointRegistry.QueueSettings(GroupPolicy.valueOf(listener.getGroupPolicy().name()),
				attributes.withCapacity(capacity, bytes).withPrefetch(prefetch));
	}

	private static ObservationRegistry observations(CorosyncProperties.Messages messages,
			ObjectProvider<ObservationRegistry> observations) {
		return messages.isObservationEnabled() ? observations.getIfAvailable(() -> ObservationRegistry.NOOP)
				: ObservationRegistry.NOOP;
	}

}
