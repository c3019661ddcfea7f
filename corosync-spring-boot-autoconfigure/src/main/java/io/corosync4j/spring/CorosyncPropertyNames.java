package io.corosync4j.spring;

import java.beans.PropertyDescriptor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeanUtils;

/**
 * Every {@code corosync.*} property name, read off {@link CorosyncProperties} itself (so it is never out
 * of date), with list indexes written {@code [*]}; and the one nearest to a name that is none of them.
 */
final class CorosyncPropertyNames {

	private static final List<String> NAMES = Collections.unmodifiableList(walk(CorosyncProperties.class, "corosync"));

	private CorosyncPropertyNames() {
	}

	static List<String> all() {
		return NAMES;
	}

	/**
	 * The property {@code name} was most likely meant to be, with {@code name}'s own list indexes, or
	 * {@code null} when none is close: a few edits, or the same words in another spelling
	 * ({@code ring0_addr}, {@code ring0Addr}).
	 */
	static @Nullable String nearest(String name) {
		String indexes = name.replaceAll("\\[\\d+\\]", "[*]");
		String best = null;
		int bestDistance = Integer.MAX_VALUE;
		for (String candidate : NAMES) {
			int distance = (words(candidate).equals(words(indexes))) ? 0 : distance(candidate, indexes);
			if (distance < bestDistance) {
				best = candidate;
				bestDistance = distance;
			}
		}
		int allowed = Math.max(2, lastSegment(indexes).length() / 3);
		if (best == null || bestDistance > allowed) {
			return null;
		}
		return withIndexes(best, name);
	}

	private static String words(String name) {
		return name.toLowerCase().replaceAll("[-_]", "");
	}

	private static String lastSegment(String name) {
		return name.substring(name.lastIndexOf('.') + 1);
	}

	/** {@code template}'s {@code [*]} filled, in order, with the indexes {@code name} used. */
	private static String withIndexes(String template, String name) {
		java.util.regex.Matcher indexes = java.util.regex.Pattern.compile("\\[(\\d+)\\]").matcher(name);
		StringBuilder out = new StringBuilder();
		int from = 0;
		int star;
		while ((star = template.indexOf("[*]", from)) >= 0) {
			out.append(template, from, star).append('[').append(indexes.find() ? indexes.group(1) : "0").append(']');
			from = star + 3;
		}
		return out.append(template.substring(from)).toString();
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

	private static List<String> walk(Class<?> type, String prefix) {
		List<String> names = new ArrayList<>();
		for (PropertyDescriptor property : BeanUtils.getPropertyDescriptors(type)) {
			if (property.getReadMethod() == null || property.getName().equals("class")) {
				continue;
			}
			String name = prefix + "." + dashed(property.getName());
			Class<?> valueType = property.getPropertyType();
			Class<?> element = elementType(property.getReadMethod().getGenericReturnType());
			if (isNested(valueType)) {
				names.addAll(walk(valueType, name));
			}
			else if (element != null && isNested(element)) {
				names.addAll(walk(element, name + "[*]"));
			}
			else if (property.getWriteMethod() != null) {
				names.add(name);
			}
		}
		return names;
	}

	private static boolean isNested(Class<?> type) {
		return type.getEnclosingClass() == CorosyncProperties.class && !type.isEnum();
	}

	private static @Nullable Class<?> elementType(Type type) {
		if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class
				&& parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
			return element;
		}
		return null;
	}

	private static String dashed(String camel) {
		StringBuilder out = new StringBuilder();
		for (char c : camel.toCharArray()) {
			if (Character.isUpperCase(c)) {
				out.append('-').append(Character.toLowerCase(c));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

}
