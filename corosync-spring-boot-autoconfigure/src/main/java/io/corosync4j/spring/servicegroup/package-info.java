/**
 * Active/standby for Spring applications on the node's service groups: {@link
 * io.corosync4j.spring.servicegroup.ActiveStandbyService} beans that run on one member at a time, Spring
 * Integration candidates granted leadership while their unit is active, and a
 * {@link io.corosync4j.spring.servicegroup.ServiceUnitStateChangedEvent} for every change.
 */
@NullMarked
package io.corosync4j.spring.servicegroup;

import org.jspecify.annotations.NullMarked;
