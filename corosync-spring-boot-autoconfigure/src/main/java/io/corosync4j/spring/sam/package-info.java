/**
 * SAM for Spring applications: {@link io.corosync4j.spring.sam.SamHealthCheck @SamHealthCheck} methods,
 * the injectable {@link io.corosync4j.engine.sam.Sam}, recovery mapped onto Spring Boot's availability
 * states, and quorum loss mapped onto readiness.
 */
@NullMarked
package io.corosync4j.spring.sam;

import org.jspecify.annotations.NullMarked;
