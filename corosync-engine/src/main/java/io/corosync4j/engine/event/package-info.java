/**
 * Events (the AIS EVT service) on the replicated-state layer: named channels on which processes
 * publish events tagged with patterns and subscribe with filters. Every member of the CPG group
 * {@value io.corosync4j.engine.event.EventService#GROUP_NAME} holds every channel, subscription and
 * retained event in an {@link io.corosync4j.engine.event.EventState} that applies the same operations in
 * agreed order, so every member decides at the same point of the order which subscriptions an event
 * matches, and a subscriber on any member sees the events in the same relative order.
 */
@NullMarked
package io.corosync4j.engine.event;

import org.jspecify.annotations.NullMarked;
