package io.corosync4j.engine.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.chaos.ChaosLog.Address;
import org.jspecify.annotations.Nullable;

/**
 * A client's log followed while the run goes on, read from where it was last read: who the process is,
 * its current configuration, the highest number it delivered of each sender, whether it stopped
 * sending. The runner waits on these (bounded) instead of sleeping.
 */
final class LiveLog {

	final Path file;

	private long offset;

	private final StringBuilder partial = new StringBuilder();

	@Nullable Address self;

	List<Address> members = List.of();

	int changes;

	final Map<Address, Long> highest = new HashMap<>();

	long sent;

	/** The sender's final number once it stopped sending (Q), else -1. */
	long quietSent = -1;

	boolean ended;

	boolean lost;

	LiveLog(Path file) {
		this.file = file;
	}

	/** Reads what was appended since the last call. */
	void poll() throws IOException {
		if (!Files.exists(this.file)) {
			return;
		}
		try (RandomAccessFile in = new RandomAccessFile(this.file.toFile(), "r")) {
			long length = in.length();
			if (length <= this.offset) {
				return;
			}
			byte[] bytes = new byte[(int) Math.min(length - this.offset, 64L << 20)];
			in.seek(this.offset);
			in.readFully(bytes);
			this.offset += bytes.length;
			this.partial.append(new String(bytes, StandardCharsets.ISO_8859_1));
		}
		int start = 0;
		int newline;
		while ((newline = this.partial.indexOf("\n", start)) >= 0) {
			line(this.partial.substring(start, newline));
			start = newline + 1;
		}
		this.partial.delete(0, start);
	}

	private void line(String line) {
		if (line.isEmpty()) {
			return;
		}
		String[] f = line.split(" ");
		switch (f[0]) {
			case "I" -> this.self = new Address(Long.parseLong(f[2]), Long.parseLong(f[3]));
			case "D", "B" -> this.highest.merge(new Address(Long.parseLong(f[1]), Long.parseLong(f[2])),
					Long.parseLong(f[3]), Math::max);
			case "C" -> {
				List<Address> list = new ArrayList<>();
				if (!f[2].equals("-")) {
					for (String part : f[2].split(",")) {
						String[] np = part.split("/");
						list.add(new Address(Long.parseLong(np[0]), Long.parseLong(np[1])));
					}
				}
				list.sort(null);
				this.members = List.copyOf(list);
				this.changes++;
			}
			case "P" -> this.sent = Long.parseLong(f[2]);
			case "Q" -> {
				this.quietSent = Long.parseLong(f[2]);
				this.sent = this.quietSent;
			}
			case "E" -> this.ended = true;
			case "X" -> this.lost = true;
			default -> {
			}
		}
	}

	long highest(Address sender) {
		return this.highest.getOrDefault(sender, 0L);
	}

}
