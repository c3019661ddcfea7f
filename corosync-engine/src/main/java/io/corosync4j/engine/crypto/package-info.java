/**
 * knet's packet crypto ({@code libknet/crypto_*.c}): every packet encrypted and authenticated with the
 * cluster's authkey, framed exactly as libknet frames it, so corosync4j and Corosync nodes read each
 * other's packets. Two implementations behind one interface: Bouncy Castle's lightweight API and the
 * JDK's JCA.
 */
@NullMarked
package io.corosync4j.engine.crypto;

import org.jspecify.annotations.NullMarked;
