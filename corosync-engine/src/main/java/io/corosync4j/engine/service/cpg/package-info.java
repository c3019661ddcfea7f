/**
 * CPG, Corosync's closed process groups ({@code exec/cpg.c} and what {@code lib/cpg.c} does on the
 * client side): named groups of processes across the ring, multicast in agreed order, and membership
 * changes delivered at the same point of that order on every member. Wire-compatible with Corosync 3,
 * so Java handles and C programs using libcpg share groups.
 */
@NullMarked
package io.corosync4j.engine.service.cpg;

import org.jspecify.annotations.NullMarked;
