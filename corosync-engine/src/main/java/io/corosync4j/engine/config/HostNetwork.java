package io.corosync4j.engine.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What configuration checks need to know about the host: its name, its addresses, and name
 * resolution. Injected, so tests never depend on the machine's network or DNS.
 */
public interface HostNetwork {

	/** The host's node name, as {@code uname -n} prints it. */
	String hostname();

	/** Every address of every local interface. */
	List<InetAddress> localAddresses();

	/**
	 * Resolves a host name or address literal.
	 * @param name the name or literal
	 * @return its addresses, in resolver order
	 * @throws UnknownHostException when it does not resolve
	 */
	List<InetAddress> resolve(String name) throws UnknownHostException;

	/** The host name an address resolves back to, or {@code null} when it has none. */
	@Nullable String reverseLookup(InetAddress address);

	/** The machine this JVM runs on. */
	static HostNetwork system() {
		return SystemHostNetwork.INSTANCE;
	}

	/**
	 * This host with only {@code addresses} counting as its own: several nodes on one machine
	 * (127.0.0.1, 127.0.0.2, …) each find their own nodelist entry. Names still resolve through
	 * {@code host}.
	 */
	static HostNetwork withLocalAddresses(HostNetwork host, List<InetAddress> addresses) {
		List<InetAddress> own = List.copyOf(addresses);
		return new HostNetwork() {

			@Override
			public String hostname() {
				return host.hostname();
			}

			@Override
			public List<InetAddress> localAddresses() {
				return own;
			}

			@Override
			public List<InetAddress> resolve(String name) throws UnknownHostException {
				return host.resolve(name);
			}

			@Override
			public @Nullable String reverseLookup(InetAddress address) {
				return host.reverseLookup(address);
			}

		};
	}

	/** {@link HostNetwork} backed by the JDK and the operating system. */
	final class SystemHostNetwork implements HostNetwork {

		static final SystemHostNetwork INSTANCE = new SystemHostNetwork();

		private SystemHostNetwork() {
		}

		@Override
		public String hostname() {
			try {
				Path kernelHostname = Path.of("/proc/sys/kernel/hostname");
				if (Files.isReadable(kernelHostname)) {
					return Files.readString(kernelHostname).trim();
				}
			}
			catch (IOException ex) {
				// fall through to the JDK's view
			}
			try {
				return InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				return "localhost";
			}
		}

		@Override
		public List<InetAddress> localAddresses() {
			List<InetAddress> addresses = new ArrayList<>();
			try {
				for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
					addresses.addAll(Collections.list(networkInterface.getInetAddresses()));
				}
			}
			catch (SocketException ex) {
				// no interfaces can be listed: the local node is then found by name only
			}
			return addresses;
		}

		@Override
		public List<InetAddress> resolve(String name) throws UnknownHostException {
			if (name.isBlank()) {
				// the JDK would answer with the loopback address
				throw new UnknownHostException("empty host name");
			}
			return List.of(InetAddress.getAllByName(name));
		}

		@Override
		public @Nullable String reverseLookup(InetAddress address) {
			String name = address.getCanonicalHostName();
			return name.equals(address.getHostAddress()) ? null : name;
		}

	}

}
