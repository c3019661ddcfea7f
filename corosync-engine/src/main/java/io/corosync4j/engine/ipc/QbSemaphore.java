package io.corosync4j.engine.ipc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.jspecify.annotations.Nullable;

/**
 * A process-shared POSIX semaphore ({@code sem_t}) in a libqb ring buffer's shared header, posted and
 * taken the way 64-bit glibc does it, so a libqb client blocked in {@code sem_wait} on it wakes. glibc
 * keeps the count in the low 32 bits of the semaphore's first 64-bit word and the number of waiters in
 * the high 32; a post adds one to the count and, when somebody waits, wakes one waiter with a shared
 * {@code FUTEX_WAKE} on the count's address. The int after that word says whether waiters use private
 * futexes (0, a semaphore of one process) or shared ones (128, {@code sem_init(sem, 1, 0)}): the client
 * waits in another process, so the server makes its semaphores shared ({@link #initShared}).
 * <p>
 * The count is changed here with atomic operations on the mapped file rather than by calling glibc:
 * the file belongs to the client, which may shrink it, and a fault in Java's access to a mapped file is
 * an exception the connection survives, where a fault inside a native call would end the node. The
 * kernel's futex call needs no access of ours, and answers {@code EFAULT} for a page that is gone.
 */
final class QbSemaphore {

	/** {@code sizeof(sem_t)} on 64-bit Linux. */
	static final int SIZE = 32;

	private static final long COUNT_MASK = 0xFFFF_FFFFL;

	private static final int WAITERS_SHIFT = 32;

	/** Where glibc keeps the futex kind, and its value for a process-shared semaphore. */
	private static final int KIND = 8;

	private static final int SHARED = 128;

	private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

	private static final VarHandle INTS = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

	private final MappedByteBuffer header;

	private final int offset;

	/** The count's address, for the futex call. */
	private final long address;

	QbSemaphore(MappedByteBuffer header, int offset) {
		if (offset % Long.BYTES != 0) {
			throw new IllegalArgumentException("a semaphore is aligned to 8 bytes: " + offset);
		}
		this.header = header;
		this.offset = offset;
		this.address = Pointer.nativeValue(Native.getDirectBufferPointer(header)) + offset;
	}

	/** {@code sem_init(sem, 1, 0)} on the zeros of a new file. */
	void initShared() {
		INTS.setVolatile(this.header, this.offset + KIND, SHARED);
	}

	/** Whether this host's semaphores are laid out as this class expects: glibc on a 64-bit little-endian CPU. */
	static boolean supported() {
		return Futex.GLIBC_VERSION != null && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
				&& "64".equals(System.getProperty("sun.arch.data.model"));
	}

	/** {@code sem_post}: one more, and a waiter woken. False when the count is at its limit. */
	boolean post() {
		long word = (long) LONGS.getVolatile(this.header, this.offset);
		while (true) {
			if ((word & COUNT_MASK) == Integer.MAX_VALUE) {
				return false;
			}
			long seen = (long) LONGS.compareAndExchangeRelease(this.header, this.offset, word, word + 1);
			if (seen == word) {
				break;
			}
			word = seen;
		}
		if ((word >>> WAITERS_SHIFT) != 0) {
			Futex.wakeOne(this.address);
		}
		return true;
	}

	/** {@code sem_trywait}: one less if there is one; false when the count is zero. */
	boolean tryTake() {
		long word = (long) LONGS.getVolatile(this.header, this.offset);
		while ((word & COUNT_MASK) != 0) {
			long seen = (long) LONGS.compareAndExchangeAcquire(this.header, this.offset, word, word - 1);
			if (seen == word) {
				return true;
			}
			word = seen;
		}
		return false;
	}

	/** The processes blocked in {@code sem_wait} on it now. */
	int waiters() {
		return (int) ((long) LONGS.getVolatile(this.header, this.offset) >>> WAITERS_SHIFT);
	}

	/** {@code sem_getvalue}. */
	int value() {
		return (int) ((long) LONGS.getVolatile(this.header, this.offset) & COUNT_MASK);
	}

	/** The futex system call, the one call glibc's semaphores make to the kernel. */
	private static final class Futex {

		/** {@code SYS_futex} on x86-64; aarch64 numbers it 98. */
		private static final long SYS_FUTEX = "aarch64".equals(System.getProperty("os.arch")) ? 98 : 202;

		/** {@code FUTEX_WAKE} without {@code FUTEX_PRIVATE_FLAG}: the waiter is another process. */
		private static final int FUTEX_WAKE = 1;

		/** glibc's version, or null on another C library (musl's semaphores are laid out otherwise) or CPU. */
		static final @Nullable String GLIBC_VERSION = register();

		private static @Nullable String register() {
			String arch = System.getProperty("os.arch");
			if (!System.getProperty("os.name").startsWith("Linux")
					|| !("amd64".equals(arch) || "x86_64".equals(arch) || "aarch64".equals(arch))) {
				return null;
			}
			try {
				// binds both calls, and fails where the C library has no gnu_get_libc_version: not glibc
				Native.register(Futex.class, NativeLibrary.getInstance("c"));
				return gnu_get_libc_version();
			}
			catch (UnsatisfiedLinkError | RuntimeException ex) {
				return null;
			}
		}

		static void wakeOne(long address) {
			syscall(SYS_FUTEX, address, FUTEX_WAKE, 1, 0, 0, 0);
		}

		/** Every argument a {@code long}: {@code syscall} takes them as such whatever they are. */
		private static native long syscall(long number, long address, long op, long count, long timeout,
				long address2, long value3);

		private static native String gnu_get_libc_version();

	}

}
