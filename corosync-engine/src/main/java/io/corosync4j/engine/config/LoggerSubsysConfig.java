package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * A {@code logging.logger_subsys} override for one subsystem; {@code null} fields inherit the
 * top-level {@code logging} value.
 *
 * @param subsys the subsystem, such as {@code TOTEM} or {@code CPG}
 * @param debug debug level override
 * @param toStderr stderr target override
 * @param toSyslog syslog target override
 * @param toLogfile log file target override
 * @param logfilePriority log file priority override
 * @param syslogPriority syslog priority override
 */
public record LoggerSubsysConfig(String subsys, @Nullable DebugLevel debug, @Nullable Boolean toStderr,
		@Nullable Boolean toSyslog, @Nullable Boolean toLogfile, @Nullable LogPriority logfilePriority,
		@Nullable LogPriority syslogPriority) {
}
