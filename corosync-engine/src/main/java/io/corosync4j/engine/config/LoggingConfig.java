package io.corosync4j.engine.config;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The {@code logging} section.
 *
 * @param toStderr log to standard error
 * @param toSyslog log to syslog
 * @param toLogfile log to {@code logfile}
 * @param logfile the log file, or {@code null}
 * @param logfilePriority lowest priority written to the log file
 * @param syslogPriority lowest priority sent to syslog
 * @param syslogFacility the syslog facility
 * @param debug debug level
 * @param timestamp timestamp mode
 * @param fileline print source file and line
 * @param functionName print the function name
 * @param blackbox keep the in-memory flight recorder
 * @param subsystems per-subsystem overrides
 */
public record LoggingConfig(boolean toStderr, boolean toSyslog, boolean toLogfile, @Nullable String logfile,
		LogPriority logfilePriority, LogPriority syslogPriority, String syslogFacility, DebugLevel debug,
		TimestampMode timestamp, boolean fileline, boolean functionName, boolean blackbox,
		List<LoggerSubsysConfig> subsystems) {

	public LoggingConfig {
		subsystems = List.copyOf(subsystems);
	}

}
