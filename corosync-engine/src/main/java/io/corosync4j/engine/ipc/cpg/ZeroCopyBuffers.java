package io.corosync4j.engine.ipc.cpg;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One client's zero-copy buffers ({@code cpg_zcb_alloc}): the client makes a file, the server maps it
 * and writes an address of its choosing into the file's header, by which the client names the buffer
 * afterwards. Corosync writes its pointer there; this writes a counter, which the client only echoes.
 * Corosync maps whatever path a client names and unlinks it; this maps only libcpg's own files
 * ({@code corosync_zerocopy-*}, regular, not a link, the client's own), so a client that may connect
 * cannot have the node unlink somebody else's file.
 */
final class ZeroCopyBuffers {

	private static final String PREFIX = "corosync_zerocopy-";

	private final Map<Long, MappedByteBuffer> buffers = new HashMap<>();

	private long nextAddress = 1;

	/**
	 * Maps the client's file and unlinks it, as Corosync does; returns the address written into its
	 * header, or 0 when the file cannot be mapped.
	 */
	long allocate(String path, long size, int clientUid) {
		Path file = Path.of(path);
		Path name = file.getFileName();
		if (!file.isAbsolute() || name == null || !name.toString().startsWith(PREFIX)
				|| size < CpgIpcCodec.ZC_HEADER + CpgIpcCodec.MCAST_HEADER || size > Integer.MAX_VALUE) {
			return 0;
		}
		try {
			PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			Object owner = Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
			if (!attributes.isRegularFile() || (clientUid != 0 && !Integer.valueOf(clientUid).equals(owner))) {
				return 0;
			}
			MappedByteBuffer buffer;
			try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
					LinkOption.NOFOLLOW_LINKS)) {
				Files.delete(file);
				buffer = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
			}
			buffer.order(ByteOrder.LITTLE_ENDIAN);
			long address = this.nextAddress++;
			buffer.putLong(CpgIpcCodec.ZC_SERVER_ADDRESS, address);
			this.buffers.put(address, buffer);
			return address;
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return 0;
		}
	}

	/**
	 * The message a client wrote into buffer {@code address} for {@code cpg_zcb_mcast_joined}, or null when
	 * there is no such buffer or what it holds does not fit in it.
	 */
	byte @Nullable [] message(long address) {
		MappedByteBuffer buffer = this.buffers.get(address);
		if (buffer == null) {
			return null;
		}
		int at = CpgIpcCodec.ZC_HEADER;
		long length = Integer.toUnsignedLong(buffer.getInt(at + CpgIpcCodec.MCAST_MSGLEN));
		if (at + CpgIpcCodec.MCAST_HEADER + length > buffer.capacity()) {
			return null;
		}
		byte[] message = new byte[(int) length];
		buffer.get(at + CpgIpcCodec.MCAST_HEADER, message);
		return message;
	}

	/** Forgets a buffer; the mapping goes with the garbage collector, as Java 17 cannot unmap. */
	void free(long address) {
		this.buffers.remove(address);
	}

	void freeAll() {
		this.buffers.clear();
	}

}
