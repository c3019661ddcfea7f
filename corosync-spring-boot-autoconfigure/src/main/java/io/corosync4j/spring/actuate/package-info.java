/**
 * The {@code corosync} Actuator endpoint.
 */
@NullMarked
package io.corosync4j.spring.actuate;

import org.jspecify.annotations.NullMarked;
