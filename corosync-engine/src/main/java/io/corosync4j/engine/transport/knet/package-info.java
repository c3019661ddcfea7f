/**
 * The knet transport ({@code libknet} onwire v1): DATA, PING/PONG and PMTUD packets, encrypted with the
 * cluster's authkey, between the links of every node.
 */
@NullMarked
package io.corosync4j.engine.transport.knet;

import org.jspecify.annotations.NullMarked;
