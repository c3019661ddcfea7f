package io.corosync4j.engine.totem.wire;

/**
 * What {@link TotemCodec#decode} returns: a {@link TotemMessage}, or the {@link Rejection} that says
 * why the bytes are not one. No wrapper is allocated per packet.
 */
public sealed interface DecodeResult permits TotemMessage, Rejection {
}
