/**
 * The Totem single-ring protocol as Corosync 3's {@code exec/totemsrp.c} runs it: membership
 * (GATHER, COMMIT, RECOVERY), agreed ordering, retransmission, flow control and extended virtual
 * synchrony. The state machine in {@link io.corosync4j.engine.totem.srp.TotemSrp} does no I/O, starts
 * no threads and reads no clock: time is an argument, timers go through a
 * {@link io.corosync4j.engine.totem.srp.Scheduler}, packets through a
 * {@link io.corosync4j.engine.totem.srp.TotemNetwork}, so the same code runs on a Netty event loop and
 * inside a deterministic simulation.
 */
@NullMarked
package io.corosync4j.engine.totem.srp;

import org.jspecify.annotations.NullMarked;
