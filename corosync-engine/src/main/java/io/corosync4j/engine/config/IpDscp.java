package io.corosync4j.engine.config;

import org.jspecify.annotations.Nullable;

/**
 * {@code totem.ip_dscp} values (Corosync 3.1.10+): a number from 0 to 63 or a class name.
 */
final class IpDscp {

	private IpDscp() {
	}

	/** The DSCP value for {@code text}, or {@code null} when it is not one. */
	static @Nullable Integer parse(String text) {
		String value = text.toLowerCase(java.util.Locale.ROOT);
		if (value.equals("ef")) {
			return 46;
		}
		if (value.matches("cs[0-7]")) {
			return (value.charAt(2) - '0') * 8;
		}
		if (value.matches("af[1-4][1-3]")) {
			return (value.charAt(2) - '0') * 8 + (value.charAt(3) - '0') * 2;
		}
		try {
			int number = Integer.decode(value);
			return (number >= 0 && number <= 63) ? number : null;
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

}
