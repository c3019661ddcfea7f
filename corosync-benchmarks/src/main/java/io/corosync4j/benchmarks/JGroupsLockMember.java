package io.corosync4j.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;

import org.jgroups.JChannel;
import org.jgroups.Version;

/**
 * One JGroups member of the lock benchmark: a channel whose stack ends in {@code CENTRAL_LOCK2}, locking
 * through {@code org.jgroups.blocks.locking.LockService}, driven by {@link LockBenchmark}
 * ({@link LockMember}'s commands). {@code JGroupsLockMember CONFIG.xml MEMBERS}.
 *
 * <p>JGroups removed its lock service in 5.4 (JGRP-2786), so this runs on the class path
 * {@link LockBenchmark} gives it: this module's classes and a JGroups 5.3 jar in place of the suite's.
 * It is compiled against the suite's JGroups, which has no {@code LockService}: that class is looked up
 * at run time; what else it calls ({@link JChannel}, {@link Version}) is the same in both.
 */
public final class JGroupsLockMember {

	static final String LOCK_SERVICE = "org.jgroups.blocks.locking.LockService";

	private JGroupsLockMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: JGroupsLockMember CONFIG.xml MEMBERS");
			System.exit(2);
		}
		int members = Integer.parseInt(args[1]);
		try (JChannel channel = new JChannel(args[0])) {
			// as JGroups' own example: the service finds the locking protocol before the channel connects
			ChannelLocker locker = new ChannelLocker(channel);
			channel.connect("lock_bm");
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LockMember.BOUND_SECONDS);
			while (channel.getView().size() < members) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("only " + channel.getView().size() + " of " + members + " joined");
				}
				Thread.sleep(20);
			}
			boolean coordinator = channel.getAddress().equals(channel.getView().getCoord());
			LockMember.serve(locker, "member-" + channel.getAddress(), coordinator, Version.printVersion());
		}
		System.exit(0);
	}

	/** Locks of one channel's {@code LockService}; each lock is locked and unlocked by the same thread. */
	static final class ChannelLocker implements LockMember.Locker {

		private final Object service;

		private final Method getLock;

		private final Map<String, Lock> locks = new HashMap<>();

		ChannelLocker(JChannel channel) throws ReflectiveOperationException {
			Class<?> type;
			try {
				type = Class.forName(LOCK_SERVICE);
			}
			catch (ClassNotFoundException ex) {
				throw new IllegalStateException(LOCK_SERVICE + " is not on the class path: JGroups " + Version.printVersion()
						+ " has no lock service (removed in 5.4, JGRP-2786); run with a JGroups 5.3 jar", ex);
			}
			this.service = type.getConstructor(JChannel.class).newInstance(channel);
			this.getLock = type.getMethod("getLock", String.class);
		}

		@Override
		public long lock(String resource) throws Exception {
			Lock lock = this.locks.get(resource);
			if (lock == null) {
				try {
					lock = (Lock) this.getLock.invoke(this.service, resource);
				}
				catch (InvocationTargetException ex) {
					throw (ex.getCause() instanceof Exception cause) ? cause : ex;
				}
				this.locks.put(resource, lock);
			}
			lock.lock();
			return 0;
		}

		@Override
		public void unlock(String resource) {
			Lock lock = this.locks.get(resource);
			if (lock == null) {
				throw new IllegalStateException("not holding " + resource);
			}
			// CENTRAL_LOCK2 returns once the coordinator confirmed the release (RELEASE_LOCK_OK)
			lock.unlock();
		}

		@Override
		public void close() {
		}

	}

}
