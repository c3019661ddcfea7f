/**
 * SAM, the simple availability manager ({@code lib/sam.c}): components prove they are alive within a
 * health-check interval, or are warned and then recovered (restarted or quit). {@link
 * io.corosync4j.engine.sam.Sam} supervises components inside this JVM; {@link
 * io.corosync4j.engine.sam.SamSupervisor} supervises a child process, which talks to it through {@link
 * io.corosync4j.engine.sam.SamClient}.
 */
@NullMarked
package io.corosync4j.engine.sam;

import org.jspecify.annotations.NullMarked;
