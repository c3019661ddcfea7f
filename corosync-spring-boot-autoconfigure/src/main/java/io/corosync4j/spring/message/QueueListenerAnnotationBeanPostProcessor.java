package io.corosync4j.spring.message;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

import io.corosync4j.engine.message.MessageService;
import io.corosync4j.spring.messaging.AnnotationValues;
import io.corosync4j.spring.messaging.ListenerAnnotationBeanPostProcessor;
import org.springframework.util.StringUtils;

/**
 * Finds {@link QueueListener} methods on beans, checks their group and queue names at once (naming the
 * method), and hands them to the {@link QueueListenerEndpointRegistry} once every singleton exists.
 */
public class QueueListenerAnnotationBeanPostProcessor
		extends ListenerAnnotationBeanPostProcessor<QueueListener, QueueListenerEndpointRegistry.Endpoint> {

	public QueueListenerAnnotationBeanPostProcessor() {
		super(QueueListener.class, QueueListenerEndpointRegistry.class);
	}

	@Override
	protected QueueListenerEndpointRegistry.Endpoint endpoint(Object bean, Method method, String where,
			QueueListener annotation, Predicate<String> idTaken) {
		String group = name(resolve(annotation.group()), "group", where);
		String queue = resolve(annotation.queue());
		String handler = resolve(annotation.errorHandler());
		return new QueueListenerEndpointRegistry.Endpoint(bean, method, group,
				StringUtils.hasText(queue) ? name(queue, "queue", where) : null,
				StringUtils.hasText(handler) ? handler : null,
				AnnotationValues.id(getBeanFactory(), annotation.id(), where, idTaken),
				AnnotationValues.autoStartup(getBeanFactory(), annotation.autoStartup(), where));
	}

	/** Fails now, naming the method, rather than when the queue is opened. */
	private static String name(String name, String what, String where) {
		int bytes = name.getBytes(StandardCharsets.UTF_8).length;
		if (bytes < 1 || bytes > MessageService.MAX_NAME_BYTES) {
			throw new IllegalStateException("@QueueListener on " + where + ": a " + what + " name is 1 to "
					+ MessageService.MAX_NAME_BYTES + " bytes of UTF-8, not '" + name + "'");
		}
		return name;
	}

}
