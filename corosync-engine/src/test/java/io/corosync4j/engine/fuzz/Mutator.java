package io.corosync4j.engine.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Makes inputs from seeds: each input is a seed, or a random byte string, changed by one to eight
 * mutations drawn from one random source, so an input is fully determined by that source's seed.
 * Binary mutations aim at the fields decoders trust: bit flips, boundary bytes, 16/32/64-bit fields set
 * to boundary values or to the input's length give or take a little, truncation, extension, and chunks
 * duplicated, deleted or spliced in from another seed. Text inputs also get token-level mutations.
 */
public final class Mutator {

	/** Inputs never grow beyond this, so a run's memory stays small. */
	public static final int MAX_LENGTH = 1 << 16;

	private static final byte[] BOUNDARY_BYTES = { 0x00, (byte) 0xFF, 0x7F, (byte) 0x80, 0x01 };

	private static final int[] BOUNDARY_INTS = { 0, 1, -1, 0x7FFFFFFF, 0x80000000 };

	private static final long[] BOUNDARY_LONGS = { 0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFFFFFFL };

	private static final String[] NUMBERS = { "0", "-1", "1", "4294967295", "4294967296", "99999999999999999999999",
			"-9223372036854775809", "0x10", "010", "1e9", "+5", "3.5", "" };

	private static final String[] SNIPPETS = { "{", "}", "\n}\n", "\n{\n", "unknown {\n", "totem {\n", "nodelist {\n",
			"node {\n", "interface {\n", "quorum {\n", "logging {\n", "logger_subsys {\n", ":", " : ", "#", "\n",
			"\"", "\t", "ring0_addr: ", "nodeid: ", "version: 2\n", "crypto_cipher: aes256\n", "crypto_hash: sha1\n",
			"key: ", "keyfile: ", "transport: knet\n", "linknumber: ", "two_node: 1\n", "provider: corosync_votequorum\n",
			"include ", "\0", "\r\n" };

	private final List<byte[]> seeds;

	private final boolean text;

	public Mutator(List<byte[]> seeds, boolean text) {
		if (seeds.isEmpty()) {
			throw new IllegalArgumentException("at least one seed is needed");
		}
		this.seeds = List.copyOf(seeds);
		this.text = text;
	}

	/** The input {@code random} makes. */
	public byte[] next(SplittableRandom random) {
		byte[] input;
		if (random.nextInt(64) == 0) {
			input = new byte[random.nextInt(256)];
			random.nextBytes(input);
		}
		else {
			input = seed(random);
		}
		int rounds = 1 + random.nextInt(1 + random.nextInt(8));
		for (int i = 0; i < rounds; i++) {
			input = (this.text && random.nextBoolean()) ? mutateText(input, random) : mutate(input, random);
			if (input.length > MAX_LENGTH) {
				input = Arrays.copyOf(input, MAX_LENGTH);
			}
		}
		return input;
	}

	private byte[] seed(SplittableRandom random) {
		return this.seeds.get(random.nextInt(this.seeds.size()));
	}

	private byte[] mutate(byte[] input, SplittableRandom random) {
		int length = input.length;
		int choice = random.nextInt(13);
		if (length == 0 && (choice < 9 || choice > 10)) {
			choice = 9;
		}
		byte[] out = input.clone();
		switch (choice) {
			case 0 -> {
				int at = random.nextInt(length);
				out[at] ^= (byte) (1 << random.nextInt(8));
			}
			case 1 -> out[random.nextInt(length)] = BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)];
			case 2 -> out[random.nextInt(length)] = (byte) random.nextInt(256);
			case 3 -> putInt(out, random, intValue(length, random), 4);
			case 4 -> putInt(out, random, intValue(length, random), 2);
			case 5 -> putLong(out, random);
			case 6 -> {
				// truncation
				return Arrays.copyOf(out, random.nextInt(length));
			}
			case 7 -> {
				// a chunk deleted
				int from = random.nextInt(length);
				int to = from + 1 + random.nextInt(Math.min(length - from, 64));
				byte[] shorter = new byte[length - (to - from)];
				System.arraycopy(out, 0, shorter, 0, from);
				System.arraycopy(out, to, shorter, from, length - to);
				return shorter;
			}
			case 8 -> {
				// a chunk duplicated elsewhere
				int from = random.nextInt(length);
				int count = 1 + random.nextInt(Math.min(length - from, 128));
				return insert(out, random.nextInt(length + 1), Arrays.copyOfRange(out, from, from + count));
			}
			case 9 -> {
				// extension with random bytes
				byte[] extra = new byte[1 + random.nextInt(random.nextInt(8) == 0 ? 1024 : 16)];
				random.nextBytes(extra);
				return insert(out, random.nextBoolean() ? length : random.nextInt(length + 1), extra);
			}
			case 10 -> {
				// splice: this input's head, another seed's tail
				byte[] other = seed(random);
				int head = random.nextInt(length + 1);
				int tail = random.nextInt(other.length + 1);
				byte[] spliced = Arrays.copyOf(out, head + other.length - tail);
				System.arraycopy(other, tail, spliced, head, other.length - tail);
				return spliced;
			}
			case 11 -> {
				// another seed's bytes over this input's, at the same offset
				byte[] other = seed(random);
				int at = random.nextInt(Math.max(1, Math.min(length, other.length)));
				int count = Math.min(1 + random.nextInt(64), Math.min(length, other.length) - at);
				if (count > 0) {
					System.arraycopy(other, at, out, at, count);
				}
			}
			default -> {
				// a random run of one value: long zero or 0xff stretches
				int at = random.nextInt(length);
				int count = 1 + random.nextInt(Math.min(length - at, 32));
				Arrays.fill(out, at, at + count, BOUNDARY_BYTES[random.nextInt(BOUNDARY_BYTES.length)]);
			}
		}
		return out;
	}

	/** A value for a length or count field: a boundary, the input's length nearby, or a random width. */
	private static int intValue(int length, SplittableRandom random) {
		return switch (random.nextInt(4)) {
			case 0 -> BOUNDARY_INTS[random.nextInt(BOUNDARY_INTS.length)];
			case 1 -> length + random.nextInt(-8, 9);
			case 2 -> random.nextInt(1 << random.nextInt(1, 31));
			default -> random.nextInt();
		};
	}

	/** Writes the low {@code width} bytes of {@code value} at a random offset, in either byte order. */
	private static void putInt(byte[] out, SplittableRandom random, int value, int width) {
		if (out.length < width) {
			return;
		}
		int at = random.nextInt(out.length - width + 1);
		if (random.nextInt(4) == 0) {
			// aligned, as most fields are
			at -= at % width;
		}
		boolean bigEndian = random.nextBoolean();
		for (int i = 0; i < width; i++) {
			int shift = 8 * (bigEndian ? width - 1 - i : i);
			out[at + i] = (byte) (value >>> shift);
		}
	}

	private static void putLong(byte[] out, SplittableRandom random) {
		if (out.length < 8) {
			return;
		}
		long value = BOUNDARY_LONGS[random.nextInt(BOUNDARY_LONGS.length)];
		int at = random.nextInt(out.length - 7);
		boolean bigEndian = random.nextBoolean();
		for (int i = 0; i < 8; i++) {
			out[at + i] = (byte) (value >>> (8 * (bigEndian ? 7 - i : i)));
		}
	}

	private static byte[] insert(byte[] input, int at, byte[] inserted) {
		byte[] out = new byte[input.length + inserted.length];
		System.arraycopy(input, 0, out, 0, at);
		System.arraycopy(inserted, 0, out, at, inserted.length);
		System.arraycopy(input, at, out, at + inserted.length, input.length - at);
		return out;
	}

	// ---------------------------------------------------------------------------------------------
	// corosync.conf tokens

	private byte[] mutateText(byte[] input, SplittableRandom random) {
		int length = input.length;
		int at = (length == 0) ? 0 : random.nextInt(length + 1);
		switch (random.nextInt(10)) {
			case 0 -> {
				// a brace removed
				int brace = find(input, random, (byte) '{', (byte) '}');
				return (brace < 0) ? input : remove(input, brace, 1);
			}
			case 1 -> {
				// a brace doubled
				int brace = find(input, random, (byte) '{', (byte) '}');
				return (brace < 0) ? input : insert(input, brace, new byte[] { input[brace] });
			}
			case 2 -> {
				// a very long line or key
				int count = 256 + random.nextInt(1024);
				byte[] line = new byte[count + 3];
				Arrays.fill(line, (byte) 'k');
				line[count] = ':';
				line[count + 1] = ' ';
				line[count + 2] = '\n';
				if (random.nextBoolean()) {
					// a long value instead of a long key
					line[0] = 'x';
					line[1] = ':';
				}
				return insert(input, lineStart(input, at), line);
			}
			case 3 -> {
				// deep nesting, closed or not
				int depth = 1 + random.nextInt(300);
				StringBuilder nested = new StringBuilder();
				nested.append("a {\n".repeat(depth));
				if (random.nextBoolean()) {
					nested.append("}\n".repeat(depth));
				}
				return insert(input, lineStart(input, at), nested.toString().getBytes(StandardCharsets.US_ASCII));
			}
			case 4 -> {
				// a number token replaced by an extreme or odd one
				int digit = findDigit(input, random);
				if (digit < 0) {
					return input;
				}
				int end = digit;
				while (end < length && Character.isLetterOrDigit(input[end])) {
					end++;
				}
				byte[] number = NUMBERS[random.nextInt(NUMBERS.length)].getBytes(StandardCharsets.US_ASCII);
				return insert(remove(input, digit, end - digit), digit, number);
			}
			case 5 -> {
				// bytes that are not UTF-8
				byte[] bad = { (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0x80, (byte) 0xED, (byte) 0xA0 };
				int from = random.nextInt(bad.length);
				return insert(input, at, Arrays.copyOfRange(bad, from, from + 1 + random.nextInt(bad.length - from)));
			}
			case 6 -> {
				// a line duplicated
				int start = lineStart(input, at);
				int end = lineEnd(input, start);
				return insert(input, start, Arrays.copyOfRange(input, start, end));
			}
			case 7 -> {
				// a line deleted
				int start = lineStart(input, at);
				return remove(input, start, lineEnd(input, start) - start);
			}
			default -> {
				// a snippet of syntax, a section or a key, somewhere
				byte[] snippet = SNIPPETS[random.nextInt(SNIPPETS.length)].getBytes(StandardCharsets.US_ASCII);
				return insert(input, random.nextBoolean() ? lineStart(input, at) : at, snippet);
			}
		}
	}

	private static int find(byte[] input, SplittableRandom random, byte first, byte second) {
		if (input.length == 0) {
			return -1;
		}
		int start = random.nextInt(input.length);
		for (int i = 0; i < input.length; i++) {
			int at = (start + i) % input.length;
			if (input[at] == first || input[at] == second) {
				return at;
			}
		}
		return -1;
	}

	private static int findDigit(byte[] input, SplittableRandom random) {
		if (input.length == 0) {
			return -1;
		}
		int start = random.nextInt(input.length);
		for (int i = 0; i < input.length; i++) {
			int at = (start + i) % input.length;
			if (input[at] >= '0' && input[at] <= '9' && (at == 0 || !Character.isLetterOrDigit(input[at - 1]))) {
				return at;
			}
		}
		return -1;
	}

	private static int lineStart(byte[] input, int at) {
		int start = Math.min(at, input.length);
		while (start > 0 && input[start - 1] != '\n') {
			start--;
		}
		return start;
	}

	/** Just past the newline that ends the line from {@code start}, or the input's end. */
	private static int lineEnd(byte[] input, int start) {
		int end = start;
		while (end < input.length && input[end] != '\n') {
			end++;
		}
		return Math.min(end + 1, input.length);
	}

	private static byte[] remove(byte[] input, int at, int count) {
		byte[] out = new byte[input.length - count];
		System.arraycopy(input, 0, out, 0, at);
		System.arraycopy(input, at + count, out, at, input.length - at - count);
		return out;
	}

}
