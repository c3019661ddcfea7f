package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address literals from the configuration, which the configuration layer already validated. */
final class InetAddressParsing {

	private InetAddressParsing() {
	}

	static InetAddress literal(String text) {
		try {
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("not an address: " + text, ex);
		}
	}

}
