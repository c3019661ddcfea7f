/**
 * Spring Boot auto-configuration for corosync4j: a cluster node from {@code corosync.*} properties or an
 * existing {@code corosync.conf}, run in the application's lifecycle, with health contributors.
 */
@NullMarked
package io.corosync4j.spring;

import org.jspecify.annotations.NullMarked;
