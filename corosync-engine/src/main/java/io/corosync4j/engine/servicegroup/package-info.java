/**
 * Active/standby service groups (the idea of the AIS availability management framework, AMF, kept
 * small): processes offer service units for named groups, and exactly one unit of each group is active
 * in the primary component, chosen at one point of the agreed order so every member agrees. Built on
 * the replicated state of {@link io.corosync4j.engine.replica}: only the primary component assigns,
 * a unit is told it is active only once no later split can undo the assignment, and a unit whose member
 * leaves the primary component steps down at once.
 */
@NullMarked
package io.corosync4j.engine.servicegroup;

import org.jspecify.annotations.NullMarked;
