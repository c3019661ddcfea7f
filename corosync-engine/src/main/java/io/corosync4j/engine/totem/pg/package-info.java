/**
 * totempg, Corosync 3's {@code exec/totempg.c}: the layer between Totem's ordered MCASTs and the
 * services. Senders pack many small messages into one MCAST and cut large ones into chains of
 * fragments ({@link io.corosync4j.engine.totem.pg.Fragmenter}); receivers rebuild them per originator
 * ({@link io.corosync4j.engine.totem.pg.Reassembler}); every message names the groups it is for
 * ({@code "a"} for the service engines, {@code "sync"} for synchronization), and
 * {@link io.corosync4j.engine.totem.pg.Totempg} hands it to the handlers that joined one of them.
 * Byte for byte what Corosync sends, so C and Java nodes read each other's messages.
 */
@NullMarked
package io.corosync4j.engine.totem.pg;

import org.jspecify.annotations.NullMarked;
