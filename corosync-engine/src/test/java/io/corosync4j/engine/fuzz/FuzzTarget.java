package io.corosync4j.engine.fuzz;

import java.util.List;

/**
 * One decoder under fuzzing. {@link #decode} feeds it one input and says whether it was accepted; the
 * decoder's documented rejection (a {@code null}, a {@code Rejection}, a counted drop, a {@code
 * ConfigException}) is turned into {@code false} by the target. Anything it throws is a failure.
 */
public interface FuzzTarget {

	/** The name used on the command line. */
	String name();

	/** The decoder and its documented rejection, for reports. */
	String description();

	/** Valid inputs the mutations start from: captured packets, encoder output, configuration files. */
	List<byte[]> seeds();

	/** Whether the input is text (corosync.conf) and also gets token-level mutations. */
	default boolean text() {
		return false;
	}

	/**
	 * The most an input of {@code length} bytes may allocate: a small multiple of its size plus a fixed
	 * allowance for the decoder's own fixed-size buffers.
	 */
	default long allocationBound(int length) {
		return 1024 * 1024 + 64L * length;
	}

	/** Inputs of the short run in the build: fewer for targets that read files or parse text. */
	default int shortRunInputs() {
		return 20_000;
	}

	/**
	 * Decodes one input.
	 * @return true when accepted, false when rejected in the documented way
	 * @throws Exception never, for a decoder that keeps its contract
	 */
	boolean decode(byte[] input) throws Exception;

	/** This target with {@code inputs} inputs in the short run of the build. */
	default FuzzTarget withShortRunInputs(int inputs) {
		FuzzTarget target = this;
		return new FuzzTarget() {

			@Override
			public String name() {
				return target.name();
			}

			@Override
			public String description() {
				return target.description();
			}

			@Override
			public List<byte[]> seeds() {
				return target.seeds();
			}

			@Override
			public boolean text() {
				return target.text();
			}

			@Override
			public long allocationBound(int length) {
				return target.allocationBound(length);
			}

			@Override
			public int shortRunInputs() {
				return inputs;
			}

			@Override
			public boolean decode(byte[] input) throws Exception {
				return target.decode(input);
			}

		};
	}

	/** A target from a name, a description, seeds and a decoding function. */
	static FuzzTarget of(String name, String description, List<byte[]> seeds, Decoder decoder) {
		return new FuzzTarget() {

			@Override
			public String name() {
				return name;
			}

			@Override
			public String description() {
				return description;
			}

			@Override
			public List<byte[]> seeds() {
				return seeds;
			}

			@Override
			public boolean decode(byte[] input) throws Exception {
				return decoder.decode(input);
			}

		};
	}

	/** The decoding function of {@link #of}. */
	@FunctionalInterface
	interface Decoder {

		boolean decode(byte[] input) throws Exception;

	}

}
