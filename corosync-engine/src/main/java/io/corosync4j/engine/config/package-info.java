/**
 * The Corosync 3 configuration model: {@code corosync.conf} parsing, the flat CMAP-style key view,
 * immutable section records with Corosync's defaults and derived timers, validation with
 * Corosync's rules and messages, authkey loading and key generation.
 *
 * <p>Reading a configuration is three steps, mirroring Corosync's {@code coroparse.c},
 * {@code totemconfig.c} and {@code votequorum.c}: {@link io.corosync4j.engine.config.ConfigParser}
 * turns text into a typed {@link io.corosync4j.engine.config.ConfigMap};
 * {@link io.corosync4j.engine.config.CorosyncConfigReader} turns the map into a validated
 * {@link io.corosync4j.engine.config.CorosyncConfig}; {@link io.corosync4j.engine.config.ClusterAddresses}
 * resolves node addresses and finds the local node through an injectable
 * {@link io.corosync4j.engine.config.HostNetwork}.
 */
@NullMarked
package io.corosync4j.engine.config;

import org.jspecify.annotations.NullMarked;
