/**
 * CFG ({@code exec/cfg.c}): link and node status, killing a node, shutdown with vetoes, and the
 * cluster-wide configuration reload, speaking Corosync's CFG messages.
 */
@NullMarked
package io.corosync4j.engine.service.cfg;

import org.jspecify.annotations.NullMarked;
