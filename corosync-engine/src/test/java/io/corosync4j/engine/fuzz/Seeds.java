package io.corosync4j.engine.fuzz;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.corosync4j.engine.fixtures.CapturedPackets;

/** Seed inputs from the test resources: Corosync 3.1.7's captures and configuration files. */
public final class Seeds {

	private static final String CAPTURES = "/corosync-3.1.7/captures/";

	private static final String CONFIGS = "/corosync-3.1.7/configs";

	private Seeds() {
	}

	/** The Totem messages of both udpu captures. */
	public static List<byte[]> udpuPackets() {
		List<byte[]> packets = new ArrayList<>();
		for (String scenario : List.of("udpu-3node-lifecycle", "udpu-recovery-encapsulated")) {
			CapturedPackets.load(scenario).forEach((packet) -> packets.add(packet.payload()));
		}
		return packets;
	}

	/** The payload column of a capture table: knet packets, plain, encrypted or decrypted. */
	public static List<byte[]> payloads(String resource) {
		return CapturedPackets.payloads(resource);
	}

	/** The authkey of the encrypted knet capture. */
	public static byte[] authkey() {
		return resource(CAPTURES + "knet-2node-aes256-sha256.authkey");
	}

	/** Every captured corosync.conf. */
	public static List<byte[]> configs() {
		URL directory = Seeds.class.getResource(CONFIGS);
		if (directory == null) {
			throw new IllegalStateException("No test resource " + CONFIGS);
		}
		try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
			List<byte[]> configs = new ArrayList<>();
			for (Path file : files.sorted().toList()) {
				configs.add(Files.readAllBytes(file));
			}
			return configs;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static byte[] resource(String name) {
		try (InputStream in = Seeds.class.getResourceAsStream(name)) {
			if (in == null) {
				throw new IllegalStateException("No test resource " + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
