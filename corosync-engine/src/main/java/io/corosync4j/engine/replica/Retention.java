package io.corosync4j.engine.replica;

/**
 * A retention the coordinator times: something named kept after its last user went (a checkpoint, a
 * persistent queue), which generation of it (a new user and a new departure make a new one), and for how
 * long.
 */
public record Retention(String name, long generation, long millis) {
}
