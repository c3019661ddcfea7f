package io.corosync4j.spring;

/** A ledger entry, sent as JSON by the examples of {@code docs/spring-boot.md}. */
record Entry(String item, int amount) {
}
