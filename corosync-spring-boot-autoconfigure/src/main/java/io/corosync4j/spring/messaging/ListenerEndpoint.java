package io.corosync4j.spring.messaging;

import java.lang.reflect.Method;

import org.jspecify.annotations.Nullable;

/** What every registry needs of a listener method it holds, whatever the service behind it. */
public interface ListenerEndpoint {

	Object bean();

	Method method();

	/** The name of its error handler bean, or {@code null} for the registry's default. */
	@Nullable String errorHandler();

	String id();

	boolean autoStartup();

}
