/**
 * Totem's transports on Netty: {@code udpu} (one datagram per nodelist member) and {@code udp} (IP
 * multicast). A transport moves encoded Totem messages and nothing else; it runs on the node's event
 * loop, which it shares with the protocol, so a received datagram is handled without a thread switch.
 */
@NullMarked
package io.corosync4j.engine.transport;

import org.jspecify.annotations.NullMarked;
