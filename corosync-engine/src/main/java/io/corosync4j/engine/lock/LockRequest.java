package io.corosync4j.engine.lock;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What a caller asks of {@link LockService#lock(LockRequest)}: a resource, a mode and how to wait.
 * Start with {@link #exclusive(String)} or {@link #shared(String)}; each {@code with…} method returns a
 * changed copy.
 *
 * @param resource the resource's name, 1 to 256 bytes in UTF-8
 * @param mode shared or exclusive
 * @param timeout how long to wait before giving up with {@link LockError#TIMEOUT}; {@code null} waits for
 * as long as it takes (a zero timeout gives up before any grant can arrive: {@code tryOnly} is the way
 * not to wait)
 * @param tryOnly never wait: refused with {@link LockError#NOT_AVAILABLE} unless grantable at once
 * @param orphan keep the lock, orphaned, when its holder goes away, until {@link LockService#purge(String)}
 * @param detectDeadlock refuse with {@link LockError#DEADLOCK} a wait that would close a cycle of owners
 * @param owner who in this process holds the lock, for deadlock detection (a thread id, for example)
 * @param grace how long the lock stays held after the holder's node leaves the ring before anyone else
 * is granted it: the time a holder cut off in a minority has to learn it lost the lock
 */
public record LockRequest(String resource, LockMode mode, @Nullable Duration timeout, boolean tryOnly, boolean orphan,
		boolean detectDeadlock, long owner, Duration grace) {

	public LockRequest {
		Objects.requireNonNull(mode, "mode");
		Objects.requireNonNull(grace, "grace");
		LockCodec.checkName(resource);
		if (timeout != null && timeout.isNegative()) {
			throw new IllegalArgumentException("a lock timeout may not be negative: " + timeout);
		}
		if (grace.isNegative() || grace.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("a lock grace period is 0 to " + Integer.MAX_VALUE + " ms: " + grace);
		}
	}

	/** An exclusive lock, waited for without a timeout. */
	public static LockRequest exclusive(String resource) {
		return new LockRequest(resource, LockMode.EXCLUSIVE, null, false, false, false, 0, Duration.ZERO);
	}

	/** A shared lock, waited for without a timeout. */
	public static LockRequest shared(String resource) {
		return new LockRequest(resource, LockMode.SHARED, null, false, false, false, 0, Duration.ZERO);
	}

	public LockRequest withTimeout(@Nullable Duration timeout) {
		return new LockRequest(this.resource, this.mode, timeout, this.tryOnly, this.orphan, this.detectDeadlock,
				this.owner, this.grace);
	}

	public LockRequest withTryOnly(boolean tryOnly) {
		return new LockRequest(this.resource, this.mode, this.timeout, tryOnly, this.orphan, this.detectDeadlock,
				this.owner, this.grace);
	}

	public LockRequest withOrphan(boolean orphan) {
		return new LockRequest(this.resource, this.mode, this.timeout, this.tryOnly, orphan, this.detectDeadlock,
				this.owner, this.grace);
	}

	public LockRequest withDeadlockDetection(boolean detectDeadlock) {
		return new LockRequest(this.resource, this.mode, this.timeout, this.tryOnly, this.orphan, detectDeadlock,
				this.owner, this.grace);
	}

	public LockRequest withOwner(long owner) {
		return new LockRequest(this.resource, this.mode, this.timeout, this.tryOnly, this.orphan, this.detectDeadlock,
				owner, this.grace);
	}

	public LockRequest withGrace(Duration grace) {
		return new LockRequest(this.resource, this.mode, this.timeout, this.tryOnly, this.orphan, this.detectDeadlock,
				this.owner, grace);
	}

	int flags() {
		return (this.tryOnly ? LockMessage.TRY : 0) | (this.orphan ? LockMessage.ORPHAN : 0)
				| (this.detectDeadlock ? LockMessage.DETECT_DEADLOCK : 0);
	}

}
