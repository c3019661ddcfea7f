/**
 * Health contributors: {@code corosync} with {@code ring} and {@code quorum} children.
 */
@NullMarked
package io.corosync4j.spring.health;

import org.jspecify.annotations.NullMarked;
