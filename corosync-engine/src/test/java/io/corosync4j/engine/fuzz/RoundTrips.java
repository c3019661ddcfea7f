package io.corosync4j.engine.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Function;

import io.corosync4j.engine.replica.ReplicatedState;
import org.jspecify.annotations.Nullable;

/**
 * The checks the fuzz targets of the replicated services share: what a decoder accepts must encode back to
 * the same bytes, and a snapshot a fresh state reads must write back to the same bytes.
 */
public final class RoundTrips {

	private RoundTrips() {
	}

	/**
	 * Whether {@code decode} accepted the input (a non-null result); if it did, {@code encode} must give the
	 * input back.
	 */
	public static <T> boolean decodes(byte[] input, Function<byte[], @Nullable T> decode, Function<T, byte[]> encode) {
		T decoded = decode.apply(input);
		if (decoded == null) {
			return false;
		}
		if (!Arrays.equals(encode.apply(decoded), input)) {
			throw new AssertionError("decoded " + decoded + " but it encodes differently");
		}
		return true;
	}

	/**
	 * Whether a fresh state read the input as a snapshot (an {@code IOException}, or bytes left over, as the
	 * replicated group refuses them, is a refusal); if it did, it must write the input back.
	 */
	public static boolean reads(ReplicatedState fresh, byte[] input) {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
		try {
			fresh.readSnapshot(in);
			if (in.read() != -1) {
				return false;
			}
		}
		catch (IOException refused) {
			return false;
		}
		if (!Arrays.equals(snapshot(fresh), input)) {
			throw new AssertionError("read a " + fresh.getClass().getSimpleName() + " that writes differently");
		}
		return true;
	}

	/** The state's snapshot bytes. */
	public static byte[] snapshot(ReplicatedState state) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			state.writeSnapshot(out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
