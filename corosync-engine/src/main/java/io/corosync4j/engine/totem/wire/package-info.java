/**
 * The six Totem SRP messages of Corosync 3 ({@code exec/totemsrp.c}), byte for byte: records with the
 * fields of the wire structs, each encoding itself little-endian, and one {@link
 * io.corosync4j.engine.totem.wire.TotemCodec#decode decoder} that reads either byte order and turns
 * anything malformed into a counted {@link io.corosync4j.engine.totem.wire.Rejection}, never an
 * exception.
 */
@NullMarked
package io.corosync4j.engine.totem.wire;

import org.jspecify.annotations.NullMarked;
