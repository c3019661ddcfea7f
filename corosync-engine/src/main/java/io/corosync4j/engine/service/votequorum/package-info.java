/**
 * votequorum ({@code exec/votequorum.c}): votes, expected votes and the quorum decision, exchanged as
 * Corosync's nodeinfo and reconfigure messages so Java and C nodes count each other's votes.
 */
@NullMarked
package io.corosync4j.engine.service.votequorum;

import org.jspecify.annotations.NullMarked;
