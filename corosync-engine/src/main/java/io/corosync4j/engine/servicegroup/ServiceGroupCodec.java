package io.corosync4j.engine.servicegroup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Activated;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Fail;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.GraceEnd;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Nop;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.QuiesceTimeout;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Quiesced;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Register;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Repair;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Switchover;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Withdraw;
import org.jspecify.annotations.Nullable;

/**
 * Writes and reads {@link ServiceGroupMessage}s and the parts of the table's snapshot: a version byte, a
 * type byte, then the fields big-endian, names as a length and UTF-8. Only corosync4j members read these,
 * so the format is ours; the version lets a later one be refused cleanly. Reading is strict: anything
 * out of range, cut short or left over makes the message unreadable ({@code null}), so a member never
 * applies what another may read differently.
 */
final class ServiceGroupCodec {

	static final int VERSION = 1;

	/** The longest failure reason carried, in UTF-8 bytes; longer ones are cut when sent. */
	static final int MAX_REASON_BYTES = 1024;

	private static final int REGISTER = 1;

	private static final int WITHDRAW = 2;

	private static final int FAIL = 3;

	private static final int REPAIR = 4;

	private static final int SWITCHOVER = 5;

	private static final int QUIESCED = 6;

	private static final int QUIESCE_TIMEOUT = 7;

	private static final int GRACE_END = 8;

	private static final int ACTIVATED = 9;

	private static final int NOP = 10;

	private ServiceGroupCodec() {
	}

	static byte[] encode(ServiceGroupMessage message) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
		DataOutputStream out = new DataOutputStream(bytes);
		try {
			out.writeByte(VERSION);
			if (message instanceof Register register) {
				out.writeByte(REGISTER);
				out.writeLong(register.unit());
				writeName(out, register.group());
				out.writeInt(register.rank());
				out.writeInt(register.graceMillis());
				out.writeInt(register.quiesceMillis());
				writeReason(out, register.failure());
			}
			else if (message instanceof Withdraw withdraw) {
				out.writeByte(WITHDRAW);
				out.writeLong(withdraw.request());
				out.writeLong(withdraw.unit());
				writeName(out, withdraw.group());
			}
			else if (message instanceof Fail fail) {
				out.writeByte(FAIL);
				out.writeLong(fail.request());
				out.writeLong(fail.unit());
				writeName(out, fail.group());
				writeReason(out, fail.reason());
			}
			else if (message instanceof Repair repair) {
				out.writeByte(REPAIR);
				out.writeLong(repair.request());
				out.writeLong(repair.unit());
				writeName(out, repair.group());
			}
			else if (message instanceof Switchover switchover) {
				out.writeByte(SWITCHOVER);
				out.writeLong(switchover.request());
				writeName(out, switchover.group());
				writeOptionalMember(out, switchover.target());
			}
			else if (message instanceof Quiesced quiesced) {
				out.writeByte(QUIESCED);
				writeName(out, quiesced.group());
				out.writeLong(quiesced.quiesce());
			}
			else if (message instanceof QuiesceTimeout timeout) {
				out.writeByte(QUIESCE_TIMEOUT);
				writeName(out, timeout.group());
				out.writeLong(timeout.quiesce());
			}
			else if (message instanceof GraceEnd end) {
				out.writeByte(GRACE_END);
				writeName(out, end.group());
				out.writeLong(end.grace());
			}
			else if (message instanceof Activated activated) {
				out.writeByte(ACTIVATED);
				writeName(out, activated.group());
				out.writeLong(activated.assignment());
			}
			else if (message instanceof Nop) {
				out.writeByte(NOP);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/** {@code null} when the bytes are not a service group operation of this version, read strictly. */
	static @Nullable ServiceGroupMessage decode(byte[] message) {
		DataInputStream in = new DataInputStream(new ByteArrayInputStream(message));
		try {
			if (in.readUnsignedByte() != VERSION) {
				return null;
			}
			ServiceGroupMessage decoded = switch (in.readUnsignedByte()) {
				case REGISTER -> new Register(in.readLong(), readName(in), in.readInt(), millis(in), millis(in),
						readReason(in));
				case WITHDRAW -> new Withdraw(in.readLong(), in.readLong(), readName(in));
				case FAIL -> new Fail(in.readLong(), in.readLong(), readName(in), readReason(in));
				case REPAIR -> new Repair(in.readLong(), in.readLong(), readName(in));
				case SWITCHOVER -> new Switchover(in.readLong(), readName(in), readOptionalMember(in));
				case QUIESCED -> new Quiesced(readName(in), in.readLong());
				case QUIESCE_TIMEOUT -> new QuiesceTimeout(readName(in), in.readLong());
				case GRACE_END -> new GraceEnd(readName(in), in.readLong());
				case ACTIVATED -> new Activated(readName(in), in.readLong());
				case NOP -> new Nop();
				default -> null;
			};
			if (decoded == null || in.read() != -1) {
				return null;
			}
			return decoded;
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Fields, also for the snapshot

	static void writeName(DataOutput out, String name) throws IOException {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		if (bytes.length == 0 || bytes.length > ServiceUnitSpec.MAX_NAME_BYTES) {
			throw new IllegalArgumentException("a group name of " + bytes.length + " bytes");
		}
		out.writeShort(bytes.length);
		out.write(bytes);
	}

	static String readName(DataInput in) throws IOException {
		int length = in.readUnsignedShort();
		if (length == 0 || length > ServiceUnitSpec.MAX_NAME_BYTES) {
			throw new EOFException("a group name of " + length + " bytes");
		}
		return readUtf8(in, length);
	}

	/** Cuts {@code reason} to {@link #MAX_REASON_BYTES} at a character boundary. */
	static String fitReason(String reason) {
		if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
			return reason;
		}
		int end = Math.min(reason.length(), MAX_REASON_BYTES);
		while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
			end--;
		}
		if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) {
			end--;
		}
		return reason.substring(0, end);
	}

	static void writeReason(DataOutput out, String reason) throws IOException {
		byte[] bytes = fitReason(reason).getBytes(StandardCharsets.UTF_8);
		out.writeShort(bytes.length);
		out.write(bytes);
	}

	static String readReason(DataInput in) throws IOException {
		int length = in.readUnsignedShort();
		if (length > MAX_REASON_BYTES) {
			throw new EOFException("a reason of " + length + " bytes");
		}
		return readUtf8(in, length);
	}

	private static String readUtf8(DataInput in, int length) throws IOException {
		byte[] bytes = new byte[length];
		in.readFully(bytes);
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new EOFException("a name or reason that is not UTF-8");
		}
	}

	static void writeMember(DataOutput out, Member member) throws IOException {
		out.writeLong(member.nodeid());
		out.writeLong(member.pid());
	}

	static Member readMember(DataInput in) throws IOException {
		return new Member(in.readLong(), in.readLong());
	}

	static void writeOptionalMember(DataOutput out, @Nullable Member member) throws IOException {
		out.writeBoolean(member != null);
		if (member != null) {
			writeMember(out, member);
		}
	}

	static @Nullable Member readOptionalMember(DataInput in) throws IOException {
		int present = in.readUnsignedByte();
		if (present > 1) {
			throw new EOFException("a presence flag of " + present);
		}
		return (present == 1) ? readMember(in) : null;
	}

	/** Milliseconds of a grace period or quiesce timeout: never negative. */
	static int millis(DataInput in) throws IOException {
		int millis = in.readInt();
		if (millis < 0) {
			throw new EOFException("a duration of " + millis + " ms");
		}
		return millis;
	}

	/** A count of things to follow, within {@code limit}. */
	static int count(DataInput in, int limit) throws IOException {
		int count = in.readInt();
		if (count < 0 || count > limit) {
			throw new EOFException("a count of " + count);
		}
		return count;
	}

}
