/**
 * The node's local IPC as Corosync's daemon serves it through libqb, so Corosync's own tools and C
 * programs linked with libcpg, libcmap, libquorum, libvotequorum and libcfg work against a Java node.
 * <p>
 * {@link io.corosync4j.engine.ipc.IpcServer} speaks libqb's connection set-up on an abstract Unix stream
 * socket per service ({@code cpg}, {@code cmap}, ...) and answers with one of libqb's transports: shared
 * memory ({@code QbShmConnection}: a request, a response and an event ring per
 * client in {@code /dev/shm}) or sockets ({@code QbSocketConnection}: one datagram
 * socket pair for requests and responses, one for events, and a 24-byte control file for the
 * flow-control flag). A service ({@link io.corosync4j.engine.ipc.IpcService})
 * sees whole request messages and answers with responses and events; messages are Corosync's
 * structures in the host's byte order (little-endian on every platform Corosync ships for here).
 */
@NullMarked
package io.corosync4j.engine.ipc;

import org.jspecify.annotations.NullMarked;
