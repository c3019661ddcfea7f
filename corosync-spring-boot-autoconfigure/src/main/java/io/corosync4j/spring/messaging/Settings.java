package io.corosync4j.spring.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/** Checks of settings the binder cannot express, failing with the property's name and what it may be. */
public final class Settings {

	private Settings() {
	}

	/** A priority, 0 (highest) to 3. */
	public static int priority(String property, int value) {
		if (value < 0 || value > 3) {
			throw new InvalidConfigurationPropertyValueException(property, value, "A priority is 0 (highest) to 3.");
		}
		return value;
	}

	/** A whole number from {@code min} to {@code max}. */
	public static int between(String property, int value, int min, int max) {
		if (value < min || value > max) {
			throw new InvalidConfigurationPropertyValueException(property, value,
					"From " + min + " to " + max + ".");
		}
		return value;
	}

	/** A duration longer than zero. */
	public static Duration positive(String property, Duration value) {
		if (value.isZero() || value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Longer than zero.");
		}
		return value;
	}

	/** A duration of zero or more. */
	public static Duration notNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidConfigurationPropertyValueException(property, value, "Zero or longer.");
		}
		return value;
	}

}
