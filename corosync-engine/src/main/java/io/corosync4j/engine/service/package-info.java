/**
 * Service engines on top of totempg, as Corosync 3 runs them: messages of group {@code "a"} carry a
 * 16-byte request header whose id is {@code (service << 16) | function}; the node hands each to the
 * engine with that service id, in agreed order, and every engine sees each configuration change before
 * synchronization starts.
 */
@NullMarked
package io.corosync4j.engine.service;

import org.jspecify.annotations.NullMarked;
