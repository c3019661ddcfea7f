/**
 * The node's CPG served to libcpg clients over libqb IPC, as Corosync's daemon serves them.
 */
@NullMarked
package io.corosync4j.engine.ipc.cpg;

import org.jspecify.annotations.NullMarked;
