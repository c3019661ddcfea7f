package io.corosync4j.engine.lock;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.lock.LockMessage.Entry;
import io.corosync4j.engine.lock.LockMessage.GraceEnd;
import io.corosync4j.engine.lock.LockMessage.Purge;
import io.corosync4j.engine.lock.LockMessage.Release;
import io.corosync4j.engine.lock.LockMessage.Request;
import io.corosync4j.engine.lock.LockMessage.ResourceState;
import io.corosync4j.engine.replica.Member;

/**
 * The lock service's messages ({@link LockCodec#decode}) and the table a joining member receives
 * ({@link LockCodec#readTable}): a message or table, or a refusal, for bytes that are not one; whatever
 * is accepted must encode back to the same bytes.
 */
public final class LockFuzzTargets {

	private LockFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		Member a = new Member(1, 1001);
		Member b = new Member(0xffff_ffffL, 7);
		Entry held = new Entry(a, 3, 9, LockMode.EXCLUSIVE, LockMessage.ORPHAN, 1500, 1L << 26, false, 0);
		Entry waiting = new Entry(b, 4, 0, LockMode.SHARED, 0, 0, 0, false, 0);
		List<byte[]> messages = List.of(
				LockCodec.encode(new Request(1, 7, "orders", LockMode.EXCLUSIVE, LockMessage.DETECT_DEADLOCK, 2000)),
				LockCodec.encode(new Release(3)), LockCodec.encode(new Purge("orders")),
				LockCodec.encode(new GraceEnd(12)));
		List<byte[]> tables = List.of(table((1L << 26) + 3, 2,
				List.of(new ResourceState("orders", List.of(held), List.of(waiting)))));
		return List.of(
				FuzzTarget.of("lck", "LockCodec.decode(byte[]): a lock message that encodes back, or null", messages,
						LockFuzzTargets::decode),
				FuzzTarget.of("lck-table", "LockCodec.readTable(DataInput): a lock table that encodes back, or IOException",
						tables, LockFuzzTargets::readTable));
	}

	private static boolean decode(byte[] input) {
		LockMessage message = LockCodec.decode(input);
		if (message == null) {
			return false;
		}
		if (!Arrays.equals(LockCodec.encode(message), input)) {
			throw new AssertionError("decoded " + message + " but it encodes differently");
		}
		return true;
	}

	private static boolean readTable(byte[] input) {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(input));
		LockCodec.Table table;
		try {
			table = LockCodec.readTable(in);
			if (in.read() != -1) {
				return false;
			}
		}
		catch (IOException refused) {
			return false;
		}
		if (!Arrays.equals(table(table.fence(), table.epoch(), table.resources()), input)) {
			throw new AssertionError("read " + table + " but it writes differently");
		}
		return true;
	}

	private static byte[] table(long fence, long epoch, List<ResourceState> resources) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			LockCodec.writeTable(out, fence, epoch, resources);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

}
