/**
 * CPG for Spring applications: {@link io.corosync4j.spring.cpg.CpgListener @CpgListener} and
 * {@link io.corosync4j.spring.cpg.CpgMembershipListener @CpgMembershipListener} methods, invoked in
 * each group's agreed order off the node's event loop, and {@link io.corosync4j.spring.cpg.CpgTemplate}
 * to send.
 */
@NullMarked
package io.corosync4j.spring.cpg;

import org.jspecify.annotations.NullMarked;
