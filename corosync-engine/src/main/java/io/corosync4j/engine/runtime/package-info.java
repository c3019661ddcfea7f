/**
 * A running node: {@link io.corosync4j.engine.runtime.CorosyncNode} puts the configuration, a transport,
 * Totem, totempg and sync on one event loop, and {@link io.corosync4j.engine.runtime.Launcher} runs one
 * from a {@code corosync.conf} the way the {@code corosync} daemon does.
 */
@NullMarked
package io.corosync4j.engine.runtime;

import org.jspecify.annotations.NullMarked;
