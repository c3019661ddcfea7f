package io.corosync4j.spring.messaging;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.messaging.converter.ByteArrayMessageConverter;
import org.springframework.messaging.converter.CompositeMessageConverter;
import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.converter.MessageConverter;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.util.ClassUtils;
import tools.jackson.databind.json.JsonMapper;

/** The payload conversion every listener and template shares: the {@code cpgMessageConverter} bean. */
public final class Converters {

	/** The bean's name; an application replaces the conversion by defining a {@code MessageConverter} of this name. */
	public static final String BEAN_NAME = "cpgMessageConverter";

	private Converters() {
	}

	/** {@code byte[]}, {@code String} (UTF-8), and JSON with the application's {@code JsonMapper} when Jackson is there. */
	public static MessageConverter standard(ConfigurableApplicationContext context) {
		List<MessageConverter> converters = new ArrayList<>(List.of(new ByteArrayMessageConverter(),
				new StringMessageConverter()));
		if (ClassUtils.isPresent("tools.jackson.databind.json.JsonMapper", context.getClassLoader())) {
			converters.add(JsonSupport.converter(context.getBeanFactory()));
		}
		return new CompositeMessageConverter(converters);
	}

	/** The shared bean, or the standard conversion when the CPG auto-configuration is left out. */
	public static MessageConverter shared(ConfigurableApplicationContext context) {
		BeanFactory beans = context.getBeanFactory();
		return beans.containsBean(BEAN_NAME) ? beans.getBean(BEAN_NAME, MessageConverter.class) : standard(context);
	}

	/** Loaded only when Jackson is there. */
	private static final class JsonSupport {

		static MessageConverter converter(BeanFactory beanFactory) {
			JsonMapper mapper = beanFactory.getBeanProvider(JsonMapper.class).getIfAvailable(JsonMapper::new);
			return new JacksonJsonMessageConverter(mapper);
		}

	}

}
