package io.corosync4j.spring.messaging;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.BeanExpressionContext;
import org.springframework.beans.factory.config.BeanExpressionResolver;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;

/** Resolves the string attributes of listener annotations as {@code @Value} does. */
public final class AnnotationValues {

	private AnnotationValues() {
	}

	/** Placeholders first, then a {@code #{…}} expression. */
	public static String resolve(@Nullable BeanFactory beanFactory, String value) {
		if (!(beanFactory instanceof ConfigurableBeanFactory configurable)) {
			return value;
		}
		String placeholders = configurable.resolveEmbeddedValue(value);
		String resolved = (placeholders != null) ? placeholders : value;
		BeanExpressionResolver expressions = configurable.getBeanExpressionResolver();
		if (expressions == null) {
			return resolved;
		}
		Object evaluated = expressions.evaluate(resolved, new BeanExpressionContext(configurable, null));
		return (evaluated != null) ? evaluated.toString() : "";
	}

	/**
	 * An {@code autoStartup} attribute, resolved.
	 * @throws IllegalStateException when it resolves to neither {@code true} nor {@code false}
	 */
	public static boolean autoStartup(@Nullable BeanFactory beanFactory, String value, String method) {
		String startup = resolve(beanFactory, value).trim();
		if (!startup.equalsIgnoreCase("true") && !startup.equalsIgnoreCase("false")) {
			throw new IllegalStateException("autoStartup of " + method + " is '" + startup + "', not true or false");
		}
		return Boolean.parseBoolean(startup);
	}

	/**
	 * A listener's id: {@code given} resolved, or {@code method} ({@code beanName.methodName}) with
	 * {@code #2}, {@code #3}… when that is {@code taken}.
	 */
	public static String id(@Nullable BeanFactory beanFactory, String given, String method, Predicate<String> taken) {
		String id = resolve(beanFactory, given);
		if (!id.isBlank()) {
			return id;
		}
		id = method;
		int clash = 1;
		while (taken.test(id)) {
			id = method + "#" + (++clash);
		}
		return id;
	}

}
