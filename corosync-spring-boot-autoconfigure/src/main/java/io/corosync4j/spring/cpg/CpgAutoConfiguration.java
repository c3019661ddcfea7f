package io.corosync4j.spring.cpg;


import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import io.corosync4j.spring.messaging.Converters;
import io.corosync4j.spring.messaging.ListenerMethods;
import io.corosync4j.spring.messaging.Retries;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;

/**
 * {@link CpgListener @CpgListener} methods and {@link CpgTemplate} on the auto-configured node. The
 * payload conversion ({@code byte[]}, {@code String}, JSON with the application's {@code JsonMapper}) is
 * the {@code cpgMessageConverter} bean, which an application can replace.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnClass(DefaultMessageHandlerMethodFactory.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class CpgAutoConfiguration {

	private static final String DEFAULT_ERROR_HANDLER = "cpgListenerErrorHandler";

	private static final String DEFAULT_CONTAINER_FACTORY = "cpgListenerContainerFactory";

	@Bean
	static CpgListenerAnnotationBeanPostProcessor cpgListenerAnnotationBeanPostProcessor() {
		return new CpgListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(name = DEFAULT_ERROR_HANDLER)
	CpgListenerErrorHandler cpgListenerErrorHandler(CorosyncProperties properties,
			ObjectProvider<CpgListenerEndpointRegistry> registry) {
		CorosyncProperties.Cpg cpg = properties.getCpg();
		CpgRecoverer recoverer = switch (cpg.getRecovery()) {
			case LOG -> CpgRecoverer.logging();
			case DEAD_LETTER -> {
				if (cpg.getDeadLetterGroup() == null) {
					throw new InvalidConfigurationPropertyValueException("corosync.cpg.recovery", "dead-letter",
							"Name the group with corosync.cpg.dead-letter-group.");
				}
				yield new DeadLetterCpgRecoverer(registry::getObject, cpg.getDeadLetterGroup(), cpg.getSendTimeout());
			}
			case REJOIN -> new RejoinCpgRecoverer(registry::getObject);
		};
		return new DefaultCpgListenerErrorHandler(Retries.backOff(cpg.getRetry(), "corosync.cpg.retry"), recoverer);
	}

	/** The settings of every group's container whose listeners name no factory, from {@code corosync.cpg.*}. */
	@Bean
	@ConditionalOnMissingBean(name = DEFAULT_CONTAINER_FACTORY)
	CpgListenerContainerFactory cpgListenerContainerFactory(CorosyncProperties properties, BeanFactory beanFactory,
			ObjectProvider<ObservationRegistry> observations) {
		CpgListenerContainerFactory factory = new CpgListenerContainerFactory();
		factory.setErrorHandler(beanFactory.getBean(DEFAULT_ERROR_HANDLER, CpgListenerErrorHandler.class));
		factory.setListenerQueue(properties.getCpg().getListenerQueue());
		factory.setRejoinAfterFallingBehind(properties.getCpg().isRejoinAfterFallingBehind());
		factory.setObservationRegistry(observations(properties.getCpg(), observations));
		return factory;
	}

	@Bean
	@ConditionalOnMissingBean
	CpgListenerEndpointRegistry cpgListenerEndpointRegistry(CorosyncNodeLifecycle node,
			MessageConverter cpgMessageConverter, BeanFactory beanFactory) {
		return new CpgListenerEndpointRegistry(node, ListenerMethods.factory(cpgMessageConverter, beanFactory),
				beanFactory.getBean(DEFAULT_CONTAINER_FACTORY, CpgListenerContainerFactory.class),
				(name) -> beanFactory.getBean(name, CpgListenerContainerFactory.class),
				(name) -> beanFactory.getBean(name, CpgListenerErrorHandler.class));
	}

	private static ObservationRegistry observations(CorosyncProperties.Cpg cpg,
			ObjectProvider<ObservationRegistry> observations) {
		return cpg.isObservationEnabled() ? observations.getIfAvailable(() -> ObservationRegistry.NOOP)
				: ObservationRegistry.NOOP;
	}

	@Bean
	@ConditionalOnMissingBean
	CpgTemplate cpgTemplate(CpgListenerEndpointRegistry registry, MessageConverter cpgMessageConverter,
			CorosyncProperties properties, ObjectProvider<ObservationRegistry> observations) {
		CorosyncProperties.Cpg cpg = properties.getCpg();
		return new CpgTemplate(registry, cpgMessageConverter, cpg.getSendTimeout(), cpg.getDefaultGroup(),
				cpg.isJoinOnSend(), observations(cpg, observations));
	}

	@Bean
	@ConditionalOnMissingBean(name = Converters.BEAN_NAME)
	MessageConverter cpgMessageConverter(ConfigurableApplicationContext context) {
		return Converters.standard(context);
	}

}
