package io.corosync4j.spring.cpg;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.spring.CorosyncAutoConfiguration;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import io.corosync4j.spring.CorosyncProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.util.ClassUtils;
import org.springframework.validation.Validator;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link CpgListener @CpgListener} methods and {@link CpgTemplate} on the auto-configured node. The
 * payload conversion ({@code byte[]}, {@code String}, JSON with the application's {@code JsonMapper}) is
 * the {@code cpgMessageConverter} bean, which an application can replace.
 */
@AutoConfiguration(after = CorosyncAutoConfiguration.class)
@ConditionalOnClass(DefaultMessageHandlerMethodFactory.class)
@ConditionalOnBean(CorosyncNodeLifecycle.class)
public final class CpgAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(CpgAutoConfiguration.class);

	private static final String DEFAULT_VALIDATOR = "defaultValidator";

	@Bean
	static CpgListenerAnnotationBeanPostProcessor cpgListenerAnnotationBeanPostProcessor() {
		return new CpgListenerAnnotationBeanPostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean
	CpgListenerErrorHandler cpgListenerErrorHandler() {
		return (group, message, error) -> logger.error("A CPG listener of group '{}' failed on a message from node {}",
				group, message.getHeaders().get(CpgHeaders.NODE_ID), error);
	}

	@Bean
	@ConditionalOnMissingBean
	CpgListenerEndpointRegistry cpgListenerEndpointRegistry(CorosyncNodeLifecycle node,
			MessageConverter cpgMessageConverter, CpgListenerErrorHandler errorHandler, CorosyncProperties properties,
			BeanFactory beanFactory) {
		DefaultMessageHandlerMethodFactory methods = new DefaultMessageHandlerMethodFactory();
		methods.setMessageConverter(cpgMessageConverter);
		methods.setBeanFactory(beanFactory);
		Validator validator = validator(beanFactory);
		if (validator != null) {
			methods.setValidator(validator);
		}
		methods.afterPropertiesSet();
		return new CpgListenerEndpointRegistry(node, methods, errorHandler,
				properties.getCpg().getListenerQueue().toBytes(), properties.getCpg().isRejoinAfterFallingBehind());
	}

	/**
	 * The application's validator for {@code @Valid} payloads: the only one, or Boot's
	 * {@code defaultValidator} when Spring MVC adds its own beside it.
	 */
	private static @Nullable Validator validator(BeanFactory beanFactory) {
		Validator unique = beanFactory.getBeanProvider(Validator.class).getIfUnique();
		if (unique != null) {
			return unique;
		}
		return beanFactory.containsBean(DEFAULT_VALIDATOR) ? beanFactory.getBean(DEFAULT_VALIDATOR, Validator.class) : null;
	}

	@Bean
	@ConditionalOnMissingBean
	CpgTemplate cpgTemplate(CpgListenerEndpointRegistry registry, MessageConverter cpgMessageConverter,
			CorosyncProperties properties) {
		CorosyncProperties.Cpg cpg = properties.getCpg();
		return new CpgTemplate(registry, cpgMessageConverter, cpg.getSendTimeout(), cpg.getDefaultGroup(),
				cpg.isJoinOnSend());
	}

	@Bean
	@ConditionalOnMissingBean(name = "cpgMessageConverter")
	MessageConverter cpgMessageConverter(ConfigurableApplicationContext context) {
		List<MessageConverter> converters = new ArrayList<>(List.of(new ByteArrayMessageConverter(),
				new StringMessageConverter()));
		if (ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", context.getClassLoader())) {
			converters.add(JsonSupport.converter(context.getBeanFactory()));
		}
		return new CompositeMessageConverter(converters);
	}

	/** Loaded only when Jackson is there. */
	private static final class JsonSupport {

		static MessageConverter converter(BeanFactory beanFactory) {
			JsonMapper mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new);
			return new JacksonJsonMessageConverter(mapper);
		}

	}

}
