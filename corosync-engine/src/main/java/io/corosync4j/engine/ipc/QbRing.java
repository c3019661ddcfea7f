package io.corosync4j.engine.ipc;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One of a shared-memory connection's three libqb ring buffers ({@code qb_rb_open} with
 * {@code QB_RB_FLAG_CREATE | QB_RB_FLAG_SHARED_PROCESS}), made by the server and mapped by the client:
 * a header file ({@code <name>-header}: the write and read pointers, the size in 32-bit words, both
 * paths, a reference count, the semaphore that counts chunks, and one int of user data, the
 * flow-control flag) and a data file ({@code <name>-data}) of chunks.
 * <p>
 * A chunk is two words (the data's length, then a magic word) followed by the data, padded to a word;
 * pointers count words and wrap at the end of the data file. The writer fills a chunk, stores its
 * length, moves the write pointer, stores the magic word that makes the chunk whole, and posts the
 * semaphore; the reader takes the semaphore, reads the chunk, marks it dead and moves the read
 * pointer. libqb maps the data file twice in a row so that a chunk that wraps reads straight on; here
 * the two pieces are copied apart. Offsets are those of libqb 2.0 on 64-bit Linux.
 */
final class QbRing implements AutoCloseable {

	private static final int WRITE_POINTER = 0;

	private static final int READ_POINTER = 4;

	private static final int WORD_SIZE = 8;

	private static final int HEADER_PATH = 12;

	private static final int DATA_PATH = HEADER_PATH + 4096;

	private static final int REFERENCE_COUNT = DATA_PATH + 4096;

	private static final int SEMAPHORE = REFERENCE_COUNT + 4;

	/** The user data, which libqb's IPC uses as the flow-control flag. */
	private static final int FLOW_CONTROL = SEMAPHORE + QbSemaphore.SIZE;

	/** {@code sizeof(struct qb_ringbuffer_shared_s)} (aligned to 8) and the IPC's {@code int32_t} of user data. */
	static final int HEADER_SIZE = FLOW_CONTROL + 8 + 4;

	private static final int CHUNK_HEADER_WORDS = 2;

	/** {@code QB_RB_CHUNK_MARGIN}: the room a chunk needs beyond its data (header and one word of padding). */
	private static final int MARGIN = 4 * (CHUNK_HEADER_WORDS + 1);

	private static final int MAGIC = 0xA1A1A1A1;

	private static final int MAGIC_DEAD = 0xD0D0D0D0;

	private static final int MAGIC_ALLOCATED = 0xA110CED0;

	private static final int PAGE = 4096;

	/** How long a check of the files' sizes holds. */
	private static final long CHECK_NANOS = 1_000_000;

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

	private final String name;

	private final Path headerFile;

	private final Path dataFile;

	private final MappedByteBuffer header;

	private final MappedByteBuffer data;

	/** Kept open to check the files' sizes before each access ({@link #checkFiles}). */
	private final FileChannel headerChannel;

	private final FileChannel dataChannel;

	/** A view of {@link #data} moved about for each copy in or out, so a copy allocates nothing. */
	private final ByteBuffer window;

	private final QbSemaphore semaphore;

	private final int words;

	/**
	 * This side's pointer (the write pointer of a ring the server writes, the read pointer of one it
	 * reads), kept here: the server is its only writer, and the copy in the file is the client's to spoil.
	 */
	private int own;

	/** When the files' sizes were last found whole ({@link #checkFiles}). */
	private long checkedAt;

	private boolean checked;

	private QbRing(String name, Path headerFile, Path dataFile, FileChannel headerChannel, FileChannel dataChannel,
			int words) throws IOException {
		this.name = name;
		this.headerChannel = headerChannel;
		this.dataChannel = dataChannel;
		this.header = map(headerChannel, HEADER_SIZE);
		this.data = map(dataChannel, words * 4);
		this.headerFile = headerFile;
		this.dataFile = dataFile;
		this.window = this.data.duplicate();
		this.semaphore = new QbSemaphore(this.header, SEMAPHORE);
		this.words = words;
	}

	/**
	 * Makes the ring {@code name} (an absolute path prefix) that holds one message of up to
	 * {@code maxMessageSize} bytes, as the client computes it from the same size, owned by the client
	 * and readable and writable by it alone.
	 */
	static QbRing create(String name, int maxMessageSize, int uid, int gid) throws IOException {
		int bytes = dataBytes(maxMessageSize);
		Path headerFile = Path.of(name + "-header");
		Path dataFile = Path.of(name + "-data");
		FileChannel headerChannel = null;
		FileChannel dataChannel = null;
		try {
			headerChannel = open(headerFile, HEADER_SIZE, uid, gid);
			dataChannel = open(dataFile, bytes, uid, gid);
			QbRing ring = new QbRing(name, headerFile, dataFile, headerChannel, dataChannel, bytes / 4);
			ring.header.putInt(WORD_SIZE, bytes / 4);
			putPath(ring.header, HEADER_PATH, headerFile);
			putPath(ring.header, DATA_PATH, dataFile);
			// the server's reference; the client adds its own, and counts two before it sends
			ring.header.putInt(REFERENCE_COUNT, 1);
			ring.semaphore.initShared();
			return ring;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(headerChannel);
			closeQuietly(dataChannel);
			QbFiles.deleteQuietly(headerFile);
			QbFiles.deleteQuietly(dataFile);
			throw ex;
		}
	}

	/** The data file's size for messages of up to {@code maxMessageSize}: libqb's, whole pages. */
	static int dataBytes(int maxMessageSize) {
		long bytes = (long) maxMessageSize + MARGIN + 1;
		return (int) ((bytes + PAGE - 1) / PAGE * PAGE);
	}

	/** A new file of zeros: no chunk is whole, and the semaphore counts none. */
	private static FileChannel open(Path file, int size, int uid, int gid) throws IOException {
		FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE);
		try {
			channel.write(ByteBuffer.wrap(new byte[1]), size - 1);
			QbFiles.restrictTo(file, uid, gid);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	private static MappedByteBuffer map(FileChannel channel, int size) throws IOException {
		MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
		mapped.order(ByteOrder.nativeOrder());
		return mapped;
	}

	private static void closeQuietly(@Nullable FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing was written through it that a close could lose
			}
		}
	}

	private static void putPath(ByteBuffer header, int at, Path path) {
		byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
		if (bytes.length >= 4096) {
			throw new IllegalArgumentException("ring path longer than 4095 bytes: " + path);
		}
		header.put(at, bytes);
	}

	/** The name the client opens the ring by. */
	String name() {
		return this.name;
	}

	/**
	 * Writes {@code message}'s readable bytes as one chunk and posts the semaphore. False, with nothing
	 * written, when the ring has no room for it yet; the message stays the caller's either way.
	 * @throws IllegalStateException when the client broke the ring: shrank its files, or put its read pointer
	 * out of the ring
	 */
	boolean write(ByteBuf message) {
		checkFiles();
		int length = message.readableBytes();
		int writePointer = this.own;
		if (freeBytes(writePointer) < (long) length + MARGIN) {
			return false;
		}
		this.data.putInt(writePointer * 4, 0);
		INTS.setRelease(this.data, wordAt(writePointer + 1), MAGIC_ALLOCATED);
		copyIn(message, wordAt(writePointer + CHUNK_HEADER_WORDS), length);
		this.data.putInt(writePointer * 4, length);
		this.own = step(writePointer, length);
		INTS.setVolatile(this.header, WRITE_POINTER, this.own);
		INTS.setRelease(this.data, wordAt(writePointer + 1), MAGIC);
		if (!this.semaphore.post()) {
			throw new IllegalStateException("ring " + this.name + " counts more chunks than a semaphore holds");
		}
		return true;
	}

	/**
	 * Takes the next chunk into {@code into} (cleared first) and frees its room: its length, or -1 when
	 * the client has posted none.
	 * @throws IOException when a posted chunk is not whole or not as long as it says: the client broke the ring
	 * @throws IllegalStateException when the client shrank the ring's files
	 */
	int take(ByteBuf into) throws IOException {
		checkFiles();
		if (!this.semaphore.tryTake()) {
			return -1;
		}
		int readPointer = this.own;
		int magic = (int) INTS.getAcquire(this.data, wordAt(readPointer + 1));
		if (magic != MAGIC) {
			throw new IOException("ring " + this.name + ": a chunk was posted but is not whole (magic "
					+ Integer.toHexString(magic) + ")");
		}
		int length = this.data.getInt(readPointer * 4);
		if (length < 0 || (long) length + MARGIN > (long) this.words * 4) {
			throw new IOException("ring " + this.name + ": a chunk of " + length + " bytes in a ring of "
					+ (this.words * 4));
		}
		into.clear();
		into.ensureWritable(length);
		copyOut(into, wordAt(readPointer + CHUNK_HEADER_WORDS), length);
		// the header is cleared before the pointer moves, so a writer never finds a stale chunk there
		this.data.putInt(readPointer * 4, 0);
		INTS.setRelease(this.data, wordAt(readPointer + 1), MAGIC_DEAD);
		this.own = step(readPointer, length);
		INTS.setVolatile(this.header, READ_POINTER, this.own);
		return length;
	}

	/**
	 * The flow-control flag the client reads before each send: 0 lets every request go, 1 holds every
	 * request ({@code EAGAIN}), 2 only those of calls that raised their limit to 2 (libcpg's multicasts).
	 */
	void flowControl(int level) {
		checkFiles();
		INTS.setVolatile(this.header, FLOW_CONTROL, level);
	}

	/** Chunks written and not yet taken by the client (the semaphore's count). */
	int unread() {
		return this.semaphore.value();
	}

	/** Removes both files; the mappings go with this object. */
	@Override
	public void close() {
		closeQuietly(this.headerChannel);
		closeQuietly(this.dataChannel);
		QbFiles.deleteQuietly(this.headerFile);
		QbFiles.deleteQuietly(this.dataFile);
	}

	/**
	 * Fails when the client shrank a file below what the server touches: Java reports a fault in a
	 * mapped file as an {@link InternalError} at no point it promises, maybe far from the access, so the
	 * sizes are checked before the server touches the ring, at most once per {@link #CHECK_NANOS}, as two
	 * {@code fstat} calls for every message would cost the event loop more than the message. A client may
	 * still shrink a file after a check, as it may crash the daemon; only root and the users
	 * {@code uidgid} admits connect.
	 */
	private void checkFiles() {
		long now = System.nanoTime();
		if (this.checked && now - this.checkedAt < CHECK_NANOS) {
			return;
		}
		long headerSize;
		long dataSize;
		try {
			headerSize = this.headerChannel.size();
			dataSize = this.dataChannel.size();
		}
		catch (IOException ex) {
			throw new IllegalStateException("ring " + this.name + ": its files cannot be checked", ex);
		}
		if (headerSize < FLOW_CONTROL + 4 || dataSize < this.data.capacity()) {
			throw new IllegalStateException("ring " + this.name + ": the client shrank its files to " + headerSize
					+ " and " + dataSize + " bytes");
		}
		this.checked = true;
		this.checkedAt = now;
	}

	/** The room left before the client's read pointer, which must be in the ring. */
	private long freeBytes(int writePointer) {
		int readPointer = (int) INTS.getVolatile(this.header, READ_POINTER);
		if (readPointer < 0 || readPointer >= this.words) {
			throw new IllegalStateException("ring " + this.name + ": the client put its read pointer at "
					+ readPointer + ", outside the ring's " + this.words + " words");
		}
		long freeWords;
		if (writePointer > readPointer) {
			freeWords = (long) readPointer - writePointer + this.words - 1;
		}
		else if (writePointer < readPointer) {
			freeWords = (long) readPointer - writePointer - 1;
		}
		else {
			// equal pointers: empty, since a chunk never fills the ring to its read pointer
			freeWords = this.words;
		}
		return freeWords * 4;
	}

	/** The word after a chunk of {@code length} bytes at {@code pointer}: header, data and padding. */
	private int step(int pointer, int length) {
		long next = (long) pointer + CHUNK_HEADER_WORDS + (length + 3L) / 4;
		return (int) (next % this.words);
	}

	/** The byte offset of word {@code word}, wrapped. */
	private int wordAt(long word) {
		return (int) (word % this.words) * 4;
	}

	private void copyIn(ByteBuf message, int at, int length) {
		int first = Math.min(length, this.data.capacity() - at);
		int from = message.readerIndex();
		this.window.clear().position(at).limit(at + first);
		message.getBytes(from, this.window);
		if (first < length) {
			this.window.clear().limit(length - first);
			message.getBytes(from + first, this.window);
		}
	}

	private void copyOut(ByteBuf into, int at, int length) {
		int first = Math.min(length, this.data.capacity() - at);
		this.window.clear().position(at).limit(at + first);
		into.writeBytes(this.window);
		if (first < length) {
			this.window.clear().limit(length - first);
			into.writeBytes(this.window);
		}
	}

}
