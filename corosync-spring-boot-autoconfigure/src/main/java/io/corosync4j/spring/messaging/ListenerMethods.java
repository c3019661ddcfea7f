package io.corosync4j.spring.messaging;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.handler.annotation.support.DefaultMessageHandlerMethodFactory;
import org.springframework.validation.Validator;

/**
 * The one way listener methods of every kind are made invocable: {@code @Payload} and {@code @Header}
 * arguments through the message converter, {@code @Valid} payloads through the application's validator.
 */
public final class ListenerMethods {

	private static final String DEFAULT_VALIDATOR = "defaultValidator";

	private ListenerMethods() {
	}

	public static DefaultMessageHandlerMethodFactory factory(MessageConverter converter, BeanFactory beanFactory) {
		DefaultMessageHandlerMethodFactory methods = new DefaultMessageHandlerMethodFactory();
		methods.setMessageConverter(converter);
		methods.setBeanFactory(beanFactory);
		Validator validator = validator(beanFactory);
		if (validator != null) {
			methods.setValidator(validator);
		}
		methods.afterPropertiesSet();
		return methods;
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

}
