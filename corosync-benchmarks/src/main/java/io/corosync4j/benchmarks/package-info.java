/**
 * The side-by-side benchmark suite: corosync4j, Corosync 3 and JGroups 5 measured the same way on one
 * machine ({@link io.corosync4j.benchmarks.BenchmarkSuite}).
 */
@NullMarked
package io.corosync4j.benchmarks;

import org.jspecify.annotations.NullMarked;
