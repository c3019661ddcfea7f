/**
 * Micrometer metrics of the node: Totem's counters, CPG delivery per group and the lock service.
 */
@NullMarked
package io.corosync4j.spring.metrics;

import org.jspecify.annotations.NullMarked;
