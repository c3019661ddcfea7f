package io.corosync4j.spring.messaging;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds the methods annotated {@code A} on beans (through proxies, with a cache of classes that have
 * none), turns each into an endpoint {@code E} at once, so a bad attribute fails the start naming the
 * method, and registers them with the registry bean once every singleton exists.
 */
public abstract class ListenerAnnotationBeanPostProcessor<A extends Annotation, E extends ListenerEndpoint>
		implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final Class<A> annotationType;

	private final Class<? extends AbstractListenerEndpointRegistry<E, ?, ?>> registryType;

	private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();

	private final List<E> found = new ArrayList<>();

	private @Nullable BeanFactory beanFactory;

	protected ListenerAnnotationBeanPostProcessor(Class<A> annotationType,
			Class<? extends AbstractListenerEndpointRegistry<E, ?, ?>> registryType) {
		this.annotationType = annotationType;
		this.registryType = registryType;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Class<?> type = AopUtils.getTargetClass(bean);
		if (this.withoutListeners.contains(type)) {
			return bean;
		}
		Map<Method, A> methods = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<A>) (method) -> AnnotatedElementUtils.findMergedAnnotation(method,
						this.annotationType));
		if (methods.isEmpty()) {
			this.withoutListeners.add(type);
			return bean;
		}
		methods.forEach((method, annotation) -> {
			Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
			String where = beanName + "." + method.getName();
			synchronized (this.found) {
				this.found.add(endpoint(bean, invocable, where, annotation, (id) -> this.found.stream()
					.anyMatch((endpoint) -> id(endpoint).equals(id))));
			}
		});
		return bean;
	}

	/**
	 * The endpoint of a listener method.
	 * @param where {@code beanName.methodName}, for errors and the default id
	 * @param idTaken whether an id is taken already
	 * @throws IllegalStateException for an attribute that cannot work, naming {@code where}
	 */
	protected abstract E endpoint(Object bean, Method method, String where, A annotation,
			Predicate<String> idTaken);

	protected String id(E endpoint) {
		return endpoint.id();
	}

	/** Hands the endpoints found to the registry, from {@code beanFactory}. */
	protected void register(BeanFactory beanFactory, List<E> endpoints) {
		AbstractListenerEndpointRegistry<E, ?, ?> registry = beanFactory.getBean(this.registryType);
		endpoints.forEach(registry::register);
	}

	/** An attribute, with placeholders and SpEL resolved. */
	protected String resolve(String value) {
		return AnnotationValues.resolve(this.beanFactory, value);
	}

	protected @Nullable BeanFactory getBeanFactory() {
		return this.beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = this.beanFactory;
		if (factory == null) {
			return;
		}
		synchronized (this.found) {
			if (!this.found.isEmpty()) {
				register(factory, List.copyOf(this.found));
				this.found.clear();
			}
		}
	}

}
