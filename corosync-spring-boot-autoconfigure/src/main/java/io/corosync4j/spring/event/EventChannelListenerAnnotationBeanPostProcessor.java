package io.corosync4j.spring.event;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import io.corosync4j.engine.event.EventFilter;
import io.corosync4j.engine.event.EventService;
import io.corosync4j.spring.messaging.AnnotationValues;
import io.corosync4j.spring.messaging.ListenerAnnotationBeanPostProcessor;
import org.springframework.util.StringUtils;

/**
 * Finds {@link EventChannelListener} methods on beans, checks their channel and filters at once (naming
 * the method), and hands them to the {@link EventChannelListenerEndpointRegistry} once every singleton exists.
 */
public class EventChannelListenerAnnotationBeanPostProcessor
		extends ListenerAnnotationBeanPostProcessor<EventChannelListener, EventChannelListenerEndpointRegistry.Endpoint> {

	public EventChannelListenerAnnotationBeanPostProcessor() {
		super(EventChannelListener.class, EventChannelListenerEndpointRegistry.class);
	}

	@Override
	protected EventChannelListenerEndpointRegistry.Endpoint endpoint(Object bean, Method method, String where,
			EventChannelListener annotation, Predicate<String> idTaken) {
		String channel = resolve(annotation.channel());
		int channelBytes = channel.getBytes(StandardCharsets.UTF_8).length;
		if (channelBytes < 1 || channelBytes > EventService.MAX_NAME_BYTES) {
			throw new IllegalStateException("@EventChannelListener on " + where + ": a channel is 1 to "
					+ EventService.MAX_NAME_BYTES + " bytes of UTF-8, not '" + channel + "'");
		}
		if (annotation.filters().length > EventService.MAX_PATTERNS) {
			throw new IllegalStateException("@EventChannelListener on " + where + ": at most "
					+ EventService.MAX_PATTERNS + " filters");
		}
		List<EventFilter> filters = new ArrayList<>();
		for (EventChannelFilter filter : annotation.filters()) {
			byte[] pattern = resolve(filter.pattern()).getBytes(StandardCharsets.UTF_8);
			if (pattern.length > EventService.MAX_PATTERN_BYTES) {
				throw new IllegalStateException("@EventChannelListener on " + where + ": a filter pattern is at most "
						+ EventService.MAX_PATTERN_BYTES + " bytes");
			}
			filters.add((filter.type() == EventFilter.Type.PASS_ALL) ? EventFilter.passAll()
					: new EventFilter(filter.type(), pattern));
		}
		String handler = resolve(annotation.errorHandler());
		return new EventChannelListenerEndpointRegistry.Endpoint(bean, method, channel, List.copyOf(filters),
				StringUtils.hasText(handler) ? handler : null,
				AnnotationValues.id(getBeanFactory(), annotation.id(), where, idTaken),
				AnnotationValues.autoStartup(getBeanFactory(), annotation.autoStartup(), where));
	}

}
