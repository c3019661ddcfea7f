package io.corosync4j.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the Corosync 3.1.7 configuration fixtures from the test resources.
 */
final class Fixtures {

	private Fixtures() {
	}

	static String text(String resource) {
		try (InputStream in = Fixtures.class.getResourceAsStream("/corosync-3.1.7/" + resource)) {
			if (in == null) {
				throw new IllegalArgumentException("No test resource corosync-3.1.7/" + resource);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String config(String name) {
		return text("configs/" + name + ".conf");
	}

	/** Rows of a tab-separated fixture table, each a map from the header's column names. */
	static List<Map<String, String>> table(String resource) {
		String[] lines = text(resource).split("\n");
		String[] header = lines[0].split("\t", -1);
		List<Map<String, String>> rows = new ArrayList<>();
		for (int i = 1; i < lines.length; i++) {
			if (lines[i].isBlank()) {
				continue;
			}
			String[] cells = lines[i].split("\t", -1);
			Map<String, String> row = new java.util.LinkedHashMap<>();
			for (int c = 0; c < header.length; c++) {
				row.put(header[c], (c < cells.length) ? cells[c] : "");
			}
			rows.add(row);
		}
		return rows;
	}

}
