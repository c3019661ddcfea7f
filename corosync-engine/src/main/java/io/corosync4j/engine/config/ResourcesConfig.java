package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * The {@code resources} section.
 *
 * @param watchdogDevice the watchdog device, or {@code null} when the watchdog is off
 * @param watchdogTimeout the watchdog timeout, seconds (2 to 120)
 */
public record ResourcesConfig(@Nullable String watchdogDevice, long watchdogTimeout) {
}
