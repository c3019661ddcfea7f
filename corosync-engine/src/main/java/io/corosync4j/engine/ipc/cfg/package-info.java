/**
 * The node's {@code cfg} IPC service, as Corosync's CFG answers {@code libcfg}: link and node status, node
 * addresses, killing a member, shutdown with the tracking clients' say, configuration reload.
 */
@NullMarked
package io.corosync4j.engine.ipc.cfg;

import org.jspecify.annotations.NullMarked;
