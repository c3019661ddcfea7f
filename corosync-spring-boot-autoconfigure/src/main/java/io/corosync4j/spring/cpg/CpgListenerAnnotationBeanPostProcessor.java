package io.corosync4j.spring.cpg;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.spring.messaging.AnnotationValues;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link CpgListener} and {@link CpgMembershipListener} methods on beans (through proxies, with a
 * cache of classes that have none) and hands them to the {@link CpgListenerEndpointRegistry} once every
 * singleton exists.
 */
public class CpgListenerAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

	private final Set<Class<?>> withoutListeners = ConcurrentHashMap.newKeySet();

	private final List<CpgListenerEndpointRegistry.Endpoint> found = new ArrayList<>();

	private @Nullable BeanFactory beanFactory;

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		if (this.withoutListeners.contains(type)) {
			return bean;
		}
		Map<Method, CpgListener> messages = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<CpgListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CpgListener.class));
		Map<Method, CpgMembershipListener> changes = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<CpgMembershipListener>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, CpgMembershipListener.class));
		if (messages.isEmpty() && changes.isEmpty()) {
			this.withoutListeners.add(type);
			return bean;
		}
		messages.forEach((method, annotation) -> add(bean, method, annotation.group(), false, beanName,
				annotation.errorHandler(), annotation.id(), annotation.autoStartup(), annotation.containerFactory()));
		changes.forEach((method, annotation) -> add(bean, method, annotation.group(), true, beanName, "", "", "true",
				""));
		return bean;
	}

	private void add(Object bean, Method method, String group, boolean membership, String beanName,
			String errorHandler, String id, String autoStartup, String containerFactory) {
		String resolved = resolve(group);
		if (!StringUtils.hasText(resolved)) {
			throw new IllegalStateException("@" + (membership ? "CpgMembershipListener" : "CpgListener") + " on "
					+ beanName + "." + method.getName() + " names no group");
		}
		// fail now, with the bean and method named, rather than when the group is joined
		try {
			CpgName.of(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("CPG group of " + beanName + "." + method.getName() + ": " + ex.getMessage(), ex);
		}
		Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
		synchronized (this.found) {
			String handler = resolve(errorHandler);
			String resolvedId = AnnotationValues.id(this.beanFactory, id, beanName + "." + method.getName(), this::hasId);
			boolean startup = AnnotationValues.autoStartup(this.beanFactory, autoStartup, beanName + "." + method.getName());
			String factory = resolve(containerFactory);
			this.found.add(new CpgListenerEndpointRegistry.Endpoint(bean, invocable, resolved, membership,
					StringUtils.hasText(handler) ? handler : null, resolvedId, startup,
					StringUtils.hasText(factory) ? factory : null));
		}
	}

	private boolean hasId(String id) {
		return this.found.stream().anyMatch((endpoint) -> endpoint.id().equals(id));
	}

	private String resolve(String value) {
		return AnnotationValues.resolve(this.beanFactory, value);
	}

	@Override
	public void afterSingletonsInstantiated() {
		BeanFactory factory = this.beanFactory;
		if (factory == null) {
			return;
		}
		CpgListenerEndpointRegistry registry = factory.getBean(CpgListenerEndpointRegistry.class);
		synchronized (this.found) {
			this.found.forEach(registry::register);
			this.found.clear();
		}
	}

}
