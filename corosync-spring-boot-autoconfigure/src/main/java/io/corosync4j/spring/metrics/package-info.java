/**
 * Micrometer metrics of the node: Totem's counters and CPG delivery per group.
 */
@NullMarked
package io.corosync4j.spring.metrics;

import org.jspecify.annotations.NullMarked;
