package io.corosync4j.engine.totem.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The udpu packet captures of real Corosync 3.1.7 rings ({@code <scenario>.packets.tsv}) with the
 * decoded description of every packet ({@code <scenario>.annotated.txt}), from the test resources.
 */
final class CapturedPackets {

	/**
	 * One captured datagram.
	 *
	 * @param index frame number in the capture
	 * @param payload the UDP payload: a Totem message
	 * @param annotation what the fixture's decoder says it is
	 */
	record Packet(int index, byte[] payload, String annotation) {

		@Override
		public String toString() {
			return "packet " + this.index + ": " + this.annotation;
		}

	}

	private CapturedPackets() {
	}

	static List<Packet> load(String scenario) {
		Map<Integer, String> annotations = new HashMap<>();
		for (String line : lines(scenario + ".annotated.txt.gz")) {
			String[] fields = line.split("\t", 4);
			annotations.put(Integer.parseInt(fields[0]), fields[3]);
		}
		List<Packet> packets = new ArrayList<>();
		for (String line : lines(scenario + ".packets.tsv.gz")) {
			String[] fields = line.split("\t");
			int index = Integer.parseInt(fields[0]);
			packets.add(new Packet(index, HexFormat.of().parseHex(fields[6]), annotations.get(index)));
		}
		return packets;
	}

	private static List<String> lines(String resource) {
		try (InputStream in = CapturedPackets.class.getResourceAsStream("/corosync-3.1.7/captures/" + resource)) {
			if (in == null) {
				throw new IllegalArgumentException("No test resource " + resource);
			}
			BufferedReader reader = new BufferedReader(
					new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
			return reader.lines().filter((line) -> !line.isBlank()).toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
