package io.corosync4j.spring.sam;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.corosync4j.engine.sam.SamOptions;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/** Finds {@link SamHealthCheck} methods; {@link SamLifecycle} registers and starts them. */
public class SamHealthCheckBeanPostProcessor implements BeanPostProcessor {

	/** One annotated method. */
	record Check(String name, Object bean, Method method, SamOptions options) {
	}

	private final Set<Class<?>> withoutChecks = ConcurrentHashMap.newKeySet();

	private final List<Check> checks = new ArrayList<>();

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
		Class<?> type = AopUtils.getTargetClass(bean);
		if (this.withoutChecks.contains(type)) {
			return bean;
		}
		Map<Method, SamHealthCheck> found = MethodIntrospector.selectMethods(type,
				(MethodIntrospector.MetadataLookup<SamHealthCheck>) (method) -> AnnotatedElementUtils
					.findMergedAnnotation(method, SamHealthCheck.class));
		if (found.isEmpty()) {
			this.withoutChecks.add(type);
			return bean;
		}
		found.forEach((method, annotation) -> {
			if (method.getParameterCount() != 0) {
				throw new IllegalStateException("@SamHealthCheck method " + beanName + "." + method.getName()
						+ " must take no parameters");
			}
			Class<?> result = method.getReturnType();
			if (result != boolean.class && result != Boolean.class
					&& !result.getName().equals("org.springframework.boot.health.contributor.Health")) {
				throw new IllegalStateException("@SamHealthCheck method " + beanName + "." + method.getName()
						+ " must return boolean or Health");
			}
			// the default name must fit CMAP keys and health paths: bean names may hold '$' or '#'
			String name = StringUtils.hasText(annotation.name()) ? annotation.name()
					: (beanName + "." + method.getName()).replaceAll("[^A-Za-z0-9._:-]", "-");
			Duration interval = DurationStyle.detectAndParse(annotation.interval());
			SamOptions options = new SamOptions(interval, annotation.policy(), Set.of(annotation.flags()));
			synchronized (this.checks) {
				this.checks.add(new Check(name, bean, AopUtils.selectInvocableMethod(method, bean.getClass()), options));
			}
		});
		return bean;
	}

	List<Check> checks() {
		synchronized (this.checks) {
			return List.copyOf(this.checks);
		}
	}

}
