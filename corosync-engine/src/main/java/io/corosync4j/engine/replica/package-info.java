/**
 * State replicated over one CPG group, the ground the openais-era services stand on: every member
 * holding the state applies the same operations and configuration changes in agreed order; a member
 * that joins, or that comes back to the primary component, receives the state by a chunked,
 * flow-controlled transfer; only the primary (quorate) component holds state, and tables that missed
 * changes (a paused process, the two sides of a split healed within one synchronization) are found
 * and dropped when a configuration change settles.
 */
@NullMarked
package io.corosync4j.engine.replica;

import org.jspecify.annotations.NullMarked;
