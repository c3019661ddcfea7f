package io.corosync4j.spring.event;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.corosync4j.engine.event.EventFilter;

/**
 * One filter of an {@link EventChannelListener}: filter {@code i} is tested against pattern {@code i} of
 * an event (see {@link EventFilter}).
 */
@Target({})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EventChannelFilter {

	/** How the pattern is compared with the event's. */
	EventFilter.Type type() default EventFilter.Type.EXACT;

	/** The pattern, as UTF-8 ({@code ${…}} placeholders and {@code #{…}} SpEL resolved); unused for {@code PASS_ALL}. */
	String pattern() default "";

}
