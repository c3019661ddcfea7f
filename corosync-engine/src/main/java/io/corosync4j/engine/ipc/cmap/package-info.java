/**
 * CMAP over libqb IPC ({@code exec/cmap.c}): {@code libcmap}'s requests answered on the node's
 * {@link io.corosync4j.engine.service.cmap.Cmap}, with per-connection iterators and tracks, and the
 * {@code stats} map of {@code cmap_initialize_map(CMAP_MAP_STATS)} served from the map's computed
 * {@code stats.*} keys.
 */
@NullMarked
package io.corosync4j.engine.ipc.cmap;

import org.jspecify.annotations.NullMarked;
