/**
 * What the CPG, event and message-queue integrations share: the frame headers travel in, payload and
 * header conversion, annotation values, listener method invocation with retries, and observations.
 */
@NullMarked
package io.corosync4j.spring.messaging;

import org.jspecify.annotations.NullMarked;
