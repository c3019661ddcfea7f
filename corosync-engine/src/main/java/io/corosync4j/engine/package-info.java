/**
 * corosync4j engine: the Corosync cluster engine for the JVM.
 */
@NullMarked
package io.corosync4j.engine;

import org.jspecify.annotations.NullMarked;
