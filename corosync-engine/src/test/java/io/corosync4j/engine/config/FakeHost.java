package io.corosync4j.engine.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A {@link HostNetwork} for tests: a fixed host name and addresses, a small name table, and no DNS.
 * Address literals resolve to themselves.
 */
final class FakeHost implements HostNetwork {

	private final String hostname;

	private final List<InetAddress> addresses = new ArrayList<>();

	private final Map<String, List<InetAddress>> names = new HashMap<>();

	private final Map<InetAddress, String> reverse = new HashMap<>();

	FakeHost(String hostname, String... localAddresses) {
		this.hostname = hostname;
		for (String address : localAddresses) {
			this.addresses.add(literal(address));
		}
	}

	/** The host the Corosync 3.1.7 fixtures ran on: node 1 of 10.98.0.0/24 and fd98::/64. */
	static FakeHost fixtureNode1() {
		return new FakeHost("cfgtest", "127.0.0.1", "::1", "10.98.0.1", "fd98::1");
	}

	FakeHost name(String name, String... addresses) {
		List<InetAddress> resolved = new ArrayList<>();
		for (String address : addresses) {
			resolved.add(literal(address));
		}
		this.names.put(name, resolved);
		return this;
	}

	FakeHost reverse(String address, String name) {
		this.reverse.put(literal(address), name);
		return this;
	}

	@Override
	public String hostname() {
		return this.hostname;
	}

	@Override
	public List<InetAddress> localAddresses() {
		return List.copyOf(this.addresses);
	}

	@Override
	public List<InetAddress> resolve(String name) throws UnknownHostException {
		if (isLiteral(name)) {
			return List.of(literal(name));
		}
		List<InetAddress> resolved = this.names.get(name);
		if (resolved == null) {
			throw new UnknownHostException(name);
		}
		return resolved;
	}

	@Override
	public @Nullable String reverseLookup(InetAddress address) {
		return this.reverse.get(address);
	}

	private static boolean isLiteral(String text) {
		return text.matches("\\d{1,3}(\\.\\d{1,3}){3}") || (text.indexOf(':') >= 0 && text.matches("[0-9a-fA-F:.]+"));
	}

	private static InetAddress literal(String text) {
		try {
			if (!isLiteral(text)) {
				throw new IllegalArgumentException(text + " is not an address literal");
			}
			return InetAddress.getByName(text);
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

}
