package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.lock.HeldLock;
import io.corosync4j.engine.lock.LockRequest;
import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.runtime.CorosyncNode;
import org.jspecify.annotations.Nullable;

/**
 * One corosync4j member of the lock benchmark: a node of the ring its configuration describes, locking
 * through {@link CorosyncNode#locks()}, driven by {@link LockBenchmark} ({@link LockMember}'s commands).
 * {@code Corosync4jLockMember CONFIG ADDRESS MEMBERS}: it reports ready once the ring has {@code MEMBERS}
 * nodes and this member holds the lock table.
 */
public final class Corosync4jLockMember {

	private Corosync4jLockMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: Corosync4jLockMember CONFIG ADDRESS MEMBERS");
			System.exit(2);
		}
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(args[0]));
		HostNetwork host = HostNetwork.withLocalAddresses(HostNetwork.system(),
				List.of(InetAddress.getByName(args[1])));
		int members = Integer.parseInt(args[2]);
		try (CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start()) {
			NodeLocker locker = ready(node, members);
			LockMember.serve(locker, "node" + node.nodeId(), false, "corosync4j");
		}
		System.exit(0);
	}

	/** Waits for a synchronized ring of {@code members} nodes and for this node's lock table. */
	static NodeLocker ready(CorosyncNode node, int members) throws Exception {
		node.awaitMembership((membership) -> membership.synced() && membership.members().size() == members,
				Duration.ofSeconds(LockMember.BOUND_SECONDS));
		LockService locks = node.locks();
		CompletableFuture<Void> ready = locks.ready().toCompletableFuture();
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LockMember.BOUND_SECONDS);
		while (!ready.isDone()) {
			if (node.isClosed()) {
				throw new IllegalStateException("node " + node.nodeId() + " stopped before it held the lock table");
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("node " + node.nodeId() + " did not hold the lock table within "
						+ LockMember.BOUND_SECONDS + " s");
			}
			try {
				ready.get(100, TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				// not yet
			}
		}
		ready.get();
		return new NodeLocker(locks);
	}

	/** Locks of one node's lock service, one held at a time. */
	static final class NodeLocker implements LockMember.Locker {

		private final LockService locks;

		private @Nullable HeldLock held;

		NodeLocker(LockService locks) {
			this.locks = locks;
		}

		@Override
		public long lock(String resource) throws Exception {
			HeldLock lock = await(this.locks.lock(LockRequest.exclusive(resource)), "lock", resource);
			this.held = lock;
			return lock.fencingToken();
		}

		@Override
		public void unlock(String resource) throws Exception {
			HeldLock lock = this.held;
			if (lock == null || !lock.resource().equals(resource)) {
				throw new IllegalStateException("not holding " + resource);
			}
			this.held = null;
			await(lock.unlock(), "unlock", resource);
		}

		/** The future's value; a future that does not complete within the bound is a hang, named as one. */
		private static <T> T await(CompletableFuture<T> future, String what, String resource) throws Exception {
			try {
				return future.get(LockMember.BOUND_SECONDS, TimeUnit.SECONDS);
			}
			catch (TimeoutException ex) {
				throw new IllegalStateException(what + " of '" + resource + "' did not complete within "
						+ LockMember.BOUND_SECONDS + " s");
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException(what + " of '" + resource + "' failed: " + ex.getCause(), ex.getCause());
			}
		}

		@Override
		public void close() {
			this.locks.close();
		}

	}

}
