package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What one lock benchmark member does, whichever lock service it runs on: driven by {@link LockBenchmark}
 * through its standard input, one command a line, answering on its standard output. Uses only the JDK:
 * the JGroups members run on a class path with another JGroups than the suite's.
 *
 * <pre>
 * ready NAME coordinator=true|false version=VERSION        (printed once the member can lock)
 * uncontended WARMUP_SECONDS SAMPLES   → uncontended SAMPLES samples: p50 N µs, p90 N µs, p99 N µs
 *                                        (lock p50 N µs, unlock p50 N µs)
 * contended FILE INDEX                 → loops on one resource, checked in FILE, until:
 * stop                                 → contended INDEX: grants N, violations N
 * quit
 * </pre>
 */
final class LockMember {

	/** The resource all members contend for. */
	static final String CONTENDED = "bench-contended";

	/** How long one lock or unlock may take before the member gives up: a hang, not a slow run. */
	static final long BOUND_SECONDS = 60;

	private LockMember() {
	}

	/** One member's view of a lock service: lock and unlock, one resource at a time, on one thread. */
	interface Locker extends AutoCloseable {

		/**
		 * Waits until {@code resource} is held by this member.
		 * @return the grant's fencing token, or 0 where the service has none
		 */
		long lock(String resource) throws Exception;

		/** Releases {@code resource}; returns once the service applied the release. */
		void unlock(String resource) throws Exception;

	}

	/**
	 * Answers {@link LockBenchmark}'s commands until {@code quit} or the end of the input.
	 * @param name how the member calls itself in its output
	 * @param coordinator whether this member is where the service decides (JGroups' coordinator)
	 * @param version the lock service's version, for the report
	 */
	static void serve(Locker locker, String name, boolean coordinator, String version) throws Exception {
		PrintStream out = System.out;
		out.printf("ready %s coordinator=%b version=%s%n", name.replace(' ', '_'), coordinator, version);
		out.flush();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		@Nullable Thread contender = null;
		@Nullable Contention contention = null;
		for (String line = in.readLine(); line != null; line = in.readLine()) {
			String[] words = line.trim().split(" ");
			switch (words[0]) {
				case "uncontended" -> {
					int samples = Integer.parseInt(words[2]);
					long[] micros = uncontended(locker, "bench-" + name.replace(' ', '-'), Integer.parseInt(words[1]),
							samples);
					out.printf("uncontended %d samples: p50 %d µs, p90 %d µs, p99 %d µs (lock p50 %d µs, unlock p50 %d µs)%n",
							samples, micros[0], micros[1], micros[2], micros[3], micros[4]);
				}
				case "contended" -> {
					Contention started = new Contention(locker, Path.of(words[1]), Integer.parseInt(words[2]));
					contention = started;
					contender = new Thread(started::run, "contender");
					contender.start();
				}
				case "stop" -> {
					if (contention == null || contender == null) {
						throw new IllegalStateException("stop without contended");
					}
					contention.stop = true;
					contender.join(TimeUnit.SECONDS.toMillis(2 * BOUND_SECONDS));
					if (contender.isAlive()) {
						out.printf("FAILED: member %d did not finish its lock and unlock within %d s%n",
								contention.index, 2 * BOUND_SECONDS);
					}
					else if (contention.failure != null) {
						out.printf("FAILED: member %d: %s%n", contention.index, contention.failure);
					}
					else {
						out.printf("contended %d: grants %d, violations %d%n", contention.index, contention.grants,
								contention.violations);
					}
				}
				case "quit" -> {
					out.flush();
					return;
				}
				default -> out.println("FAILED: unknown command " + line);
			}
			out.flush();
		}
	}

	/**
	 * Locks and unlocks {@code resource} for {@code warmupSeconds}, then {@code samples} more times, each
	 * timed from the request to the release applied.
	 * @return p50, p90 and p99 of the samples, then the p50 of the lock alone and of the unlock alone, in
	 * microseconds
	 */
	static long[] uncontended(Locker locker, String resource, int warmupSeconds, int samples) throws Exception {
		long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
		while (System.nanoTime() < warmupEnd) {
			locker.lock(resource);
			locker.unlock(resource);
		}
		long[] micros = new long[samples];
		long[] lockMicros = new long[samples];
		long[] unlockMicros = new long[samples];
		for (int i = 0; i < samples; i++) {
			long started = System.nanoTime();
			locker.lock(resource);
			long granted = System.nanoTime();
			locker.unlock(resource);
			long released = System.nanoTime();
			micros[i] = (released - started) / 1000;
			lockMicros[i] = (granted - started) / 1000;
			unlockMicros[i] = (released - granted) / 1000;
		}
		Arrays.sort(micros);
		Arrays.sort(lockMicros);
		Arrays.sort(unlockMicros);
		return new long[] { micros[samples / 2], micros[samples * 9 / 10], micros[samples * 99 / 100],
				lockMicros[samples / 2], unlockMicros[samples / 2] };
	}

	/**
	 * Locks and unlocks the contended resource until {@code stop}, entering {@code exclusion} while it holds
	 * it; returns the grants.
	 */
	static long contend(Locker locker, LockExclusion exclusion, int index, BooleanSupplier stop) throws Exception {
		long grants = 0;
		while (!stop.getAsBoolean()) {
			long token = locker.lock(CONTENDED);
			exclusion.enter(index, token);
			exclusion.leave(index);
			locker.unlock(CONTENDED);
			grants++;
		}
		return grants;
	}

	/** A contended run on its own thread, stopped by the {@code stop} command. */
	private static final class Contention {

		final Locker locker;

		final Path file;

		final int index;

		volatile boolean stop;

		volatile long grants;

		volatile long violations;

		volatile @Nullable String failure;

		Contention(Locker locker, Path file, int index) {
			this.locker = locker;
			this.file = file;
			this.index = index;
		}

		void run() {
			try (LockExclusion exclusion = LockExclusion.open(this.file)) {
				this.grants = contend(this.locker, exclusion, this.index, () -> this.stop);
				this.violations = exclusion.violationsSeen();
			}
			catch (Exception ex) {
				this.failure = String.valueOf(ex).replace('\n', ' ');
			}
		}

	}

}
