package io.corosync4j.engine.sam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.service.cmap.Cmap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SAM for a whole process, the JVM's counterpart of {@code sam_register}'s fork: it runs a command as a
 * child process and supervises it as a {@link SamComponent}. The child talks back through {@link
 * SamClient}. Warn is a polite termination (SIGTERM), recovery a forced kill (SIGKILL) and, with RESTART, a
 * new child with the next instance id and the stored data; with QUIT (or a child that exits before it
 * started checking) the supervisor ends with the child's exit status.
 *
 * <p>Use {@link Sam} for parts of one application that can be restarted in place; use this when the unit
 * to restart is a process (native code, a library that cannot be re-initialized, a memory leak).
 */
public final class SamSupervisor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SamSupervisor.class);

	private final List<String> command;

	private final @Nullable Path workingDirectory;

	private final Sam sam;

	private final SamComponent component;

	private final ServerSocket server;

	private final Thread acceptor;

	private final CompletableFuture<Integer> exit = new CompletableFuture<>();

	private volatile @Nullable Process child;

	private volatile int running;

	private volatile boolean recovering;

	private volatile boolean closed;

	/**
	 * @param name the component's name (CMAP keys, logs)
	 * @param command the child's command line
	 * @param workingDirectory where it runs, or {@code null} for this process's
	 * @param options interval, policy and flags
	 * @param clock SAM's clock
	 * @param cmap where the CMAP flag publishes, or {@code null}
	 */
	public SamSupervisor(String name, List<String> command, @Nullable Path workingDirectory, SamOptions options,
			SamClock clock, @Nullable Cmap cmap) throws IOException {
		this.command = List.copyOf(command);
		this.workingDirectory = workingDirectory;
		this.sam = new Sam(clock, () -> true, cmap);
		this.component = this.sam.register(name, options, new ProcessRecovery());
		this.server = new ServerSocket();
		this.server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		this.acceptor = new Thread(this::accept, "sam-supervisor-" + name);
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	/** Starts the first child. */
	public void start() throws IOException {
		launch(1);
	}

	/** Completes with the last child's exit status when the supervisor gives up (QUIT, or exit before start). */
	public CompletableFuture<Integer> exit() {
		return this.exit;
	}

	public SamComponent.Status status() {
		return this.component.status();
	}

	/** The running child, if any. */
	public @Nullable Process process() {
		return this.child;
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		Process current = this.child;
		if (current != null) {
			current.destroyForcibly();
		}
		this.sam.close();
		this.server.close();
	}

	// ---------------------------------------------------------------------------------------------

	private synchronized void launch(int instance) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(this.command).inheritIO();
		if (this.workingDirectory != null) {
			builder.directory(this.workingDirectory.toFile());
		}
		builder.environment().put(SamClient.PORT_VARIABLE, Integer.toString(this.server.getLocalPort()));
		builder.environment().put(SamClient.INSTANCE_VARIABLE, Integer.toString(instance));
		Process started = builder.start();
		this.child = started;
		this.running = instance;
		this.recovering = false;
		logger.info("SAM started {} as instance {} (pid {})", this.component.name(), instance, started.pid());
		started.onExit().thenAccept((process) -> exited(process, instance));
	}

	private void exited(Process process, int instance) {
		if (this.closed || this.recovering || instance != this.running) {
			return;
		}
		SamState state = this.component.status().state();
		if (state == SamState.RUNNING || state == SamState.WARNED) {
			this.component.exited("the process exited with status " + process.exitValue());
		}
		else if (state != SamState.FAILED) {
			// as Corosync: a child that ends before it started checking ends the supervisor too
			logger.info("SAM: {} exited with status {} before starting its checks", this.component.name(),
					process.exitValue());
			this.exit.complete(process.exitValue());
		}
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket connection = this.server.accept();
				Thread reader = new Thread(() -> serve(connection), "sam-channel");
				reader.setDaemon(true);
				reader.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	/** One child's commands; those of an earlier instance are ignored. */
	private void serve(Socket connection) {
		try (connection;
				BufferedReader in = new BufferedReader(
						new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8));
				PrintWriter out = new PrintWriter(connection.getOutputStream(), true, StandardCharsets.UTF_8)) {
			String hello = in.readLine();
			if (hello == null || !hello.startsWith("HELLO ")) {
				return;
			}
			int instance = Integer.parseInt(hello.substring(6).trim());
			String line;
			while ((line = in.readLine()) != null) {
				if (instance != this.running) {
					continue;
				}
				switch (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line) {
					case "START" -> this.component.start();
					case "STOP" -> this.component.stop();
					case "HC" -> this.component.hcSend();
					case "FAILED" -> this.component.markFailed();
					case "STORE" -> this.component.dataStore(Base64.getDecoder().decode(line.substring(6)));
					case "RESTORE" -> out.println("DATA " + Base64.getEncoder().encodeToString(this.component.dataRestore()));
					default -> logger.warn("SAM: unknown command from {}: {}", this.component.name(), line);
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("SAM channel closed: {}", ex.toString());
		}
	}

	private void kill() {
		Process current = this.child;
		if (current == null) {
			return;
		}
		this.recovering = true;
		current.destroyForcibly();
		try {
			current.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** Warn = SIGTERM, recover = SIGKILL, then a new child or the end. */
	private final class ProcessRecovery implements SamComponent.Recovery {

		@Override
		public void warn() {
			Process current = SamSupervisor.this.child;
			if (current != null) {
				current.destroy();
			}
		}

		@Override
		public void restart(int newInstanceId) {
			kill();
			if (SamSupervisor.this.closed) {
				return;
			}
			try {
				launch(newInstanceId);
			}
			catch (IOException ex) {
				logger.error("SAM could not restart {}", SamSupervisor.this.component.name(), ex);
				SamSupervisor.this.exit.completeExceptionally(new UncheckedIOException(ex));
			}
		}

		@Override
		public void quit() {
			kill();
			Process current = SamSupervisor.this.child;
			SamSupervisor.this.exit.complete((current != null) ? current.exitValue() : -1);
		}

	}

}
