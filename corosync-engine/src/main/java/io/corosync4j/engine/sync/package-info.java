/**
 * Service synchronization after every membership change, as Corosync 3's {@code exec/sync.c} runs it:
 * each member announces the services it synchronizes (service_build), then the members walk the
 * union of those services in ascending id, each service exchanging its state and all members meeting
 * at a barrier before the next. Messages travel in totempg's {@code "sync"} group in Corosync's byte
 * layout, so C and Java members synchronize together.
 */
@NullMarked
package io.corosync4j.engine.sync;

import org.jspecify.annotations.NullMarked;
