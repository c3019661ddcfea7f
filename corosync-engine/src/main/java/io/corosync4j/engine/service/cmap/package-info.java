/**
 * CMAP ({@code exec/cmap.c}, {@code exec/icmap.c}, {@code exec/stats.c}): the node's typed key/value map
 * (configuration mirror, runtime state, statistics computed on read) with tracking, and the service that
 * checks {@code totem.config_version} across the ring.
 */
@NullMarked
package io.corosync4j.engine.service.cmap;

import org.jspecify.annotations.NullMarked;
