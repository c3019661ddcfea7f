package io.corosync4j.engine.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A node in its own JVM, started with {@link Launcher} as an operator would, its log read line by line.
 */
final class NodeProcess implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new ArrayList<>();

	private final Thread reader;

	/** A node of several on this host: they share one network namespace, so none serves IPC. */
	NodeProcess(Path config, String localAddress) throws IOException {
		this(List.of(), config, List.of("-a", localAddress, "--no-ipc"));
	}

	/**
	 * @param prefix what runs the JVM (e.g. {@code ip netns exec NS}), or nothing
	 * @param config the node's corosync.conf
	 * @param options further launcher options
	 */
	NodeProcess(List<String> prefix, Path config, List<String> options) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		List<String> command = new ArrayList<>(prefix);
		command.addAll(List.of(java.toString(), "-Xmx128m", "-XX:+UseSerialGC",
				"-Dorg.slf4j.simpleLogger.defaultLogLevel=info", "-Dorg.slf4j.simpleLogger.log.io.corosync4j.engine.totem=info",
				"-cp", System.getProperty("java.class.path"), Launcher.class.getName(), "-f", "-c", config.toString()));
		command.addAll(options);
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.redirectErrorStream(true);
		this.process = builder.start();
		this.reader = new Thread(this::readLines, "node-process-log");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	private void readLines() {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				synchronized (this.lines) {
					this.lines.add(line);
					this.lines.notifyAll();
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
	}

	/** Waits for a log line after {@code from} (a line count) that satisfies {@code condition}. */
	String awaitLine(int from, Predicate<String> condition, Duration timeout) throws InterruptedException, TimeoutException {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lines) {
			int at = from;
			while (true) {
				while (at < this.lines.size()) {
					String line = this.lines.get(at++);
					if (condition.test(line)) {
						return line;
					}
				}
				long left = deadline - System.nanoTime();
				if (left <= 0 || !this.process.isAlive() && at >= this.lines.size()) {
					throw new TimeoutException("no such line within " + timeout + "; log:\n" + String.join("\n", this.lines));
				}
				this.lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
			}
		}
	}

	int lineCount() {
		synchronized (this.lines) {
			return this.lines.size();
		}
	}

	String log() {
		synchronized (this.lines) {
			return String.join("\n", this.lines);
		}
	}

	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(10, TimeUnit.SECONDS);
	}

	/** Waits for the process to end on its own and returns its exit status, or -1 when it did not in time. */
	int awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			return -1;
		}
		this.reader.join(5000);
		return this.process.exitValue();
	}

	/** SIGTERM, then waits for the exit status. */
	int terminate() throws InterruptedException {
		// through the handle: Process.destroy() would also close our end of its output
		this.process.toHandle().destroy();
		if (!this.process.waitFor(15, TimeUnit.SECONDS)) {
			this.process.destroyForcibly();
			return -1;
		}
		this.reader.join(5000);
		return this.process.exitValue();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
