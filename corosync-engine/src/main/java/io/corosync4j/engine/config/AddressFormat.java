package io.corosync4j.engine.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Prints addresses as Corosync does ({@code inet_ntop}): IPv6 in the compressed RFC 5952 form.
 */
final class AddressFormat {

	private AddressFormat() {
	}

	static String format(InetAddress address) {
		if (!(address instanceof Inet6Address)) {
			return address.getHostAddress();
		}
		byte[] bytes = address.getAddress();
		int[] groups = new int[8];
		for (int i = 0; i < 8; i++) {
			groups[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
		}
		int bestStart = -1;
		int bestLength = 0;
		for (int i = 0; i < 8;) {
			if (groups[i] != 0) {
				i++;
				continue;
			}
			int start = i;
			while (i < 8 && groups[i] == 0) {
				i++;
			}
			if (i - start > bestLength && i - start > 1) {
				bestStart = start;
				bestLength = i - start;
			}
		}
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < 8; i++) {
			if (i == bestStart) {
				text.append("::");
				i += bestLength - 1;
				continue;
			}
			if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
				text.append(':');
			}
			text.append(Integer.toHexString(groups[i]));
		}
		return text.toString();
	}

}
