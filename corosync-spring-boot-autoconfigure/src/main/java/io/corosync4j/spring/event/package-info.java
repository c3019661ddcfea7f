/**
 * Event channels (the AIS EVT service) for Spring applications:
 * {@link io.corosync4j.spring.event.EventChannelListener @EventChannelListener} methods receive the events
 * their filters match, in the agreed order, and {@link io.corosync4j.spring.event.EventChannelTemplate}
 * publishes.
 */
@NullMarked
package io.corosync4j.spring.event;

import org.jspecify.annotations.NullMarked;
