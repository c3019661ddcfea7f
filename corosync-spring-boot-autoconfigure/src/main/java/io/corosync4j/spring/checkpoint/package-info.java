/**
 * Checkpoints for Spring applications: the node's checkpoint service, started on first use, for the
 * state an active/standby bean hands to the next active.
 */
@NullMarked
package io.corosync4j.spring.checkpoint;

import org.jspecify.annotations.NullMarked;
