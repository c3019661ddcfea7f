package io.corosync4j.engine.ipc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.runtime.InteropCluster;

/**
 * A network namespace of its own for an IPC test: a server started with
 * {@link IpcSettings#withNetworkNamespace} serves its abstract sockets there, and Corosync's tools run
 * there with {@link #run}, so tests never meet another node's or a host daemon's sockets.
 */
public final class IpcNamespace implements AutoCloseable {

	public final String name = "c4jipc" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));

	private IpcNamespace() {
	}

	/** Creates the namespace; skips (or under CI fails) without root and the tools. */
	public static IpcNamespace create() throws Exception {
		InteropCluster.requireTools();
		IpcNamespace namespace = new IpcNamespace();
		Result result = run(List.of("ip", "netns", "add", namespace.name), 30);
		if (result.status() != 0) {
			throw new IllegalStateException("ip netns add: " + result.output());
		}
		return namespace;
	}

	/** The namespace's file, for {@link IpcSettings#withNetworkNamespace}. */
	public Path path() {
		return Path.of("/run/netns", this.name);
	}

	/** Runs a command in the namespace, waiting at most 60 s; its output is stdout and stderr together. */
	public Result run(String... command) throws Exception {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", this.name));
		full.addAll(List.of(command));
		return run(full, 60);
	}

	/** Starts a command in the namespace without waiting. */
	public Process start(String... command) throws Exception {
		List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", this.name));
		full.addAll(List.of(command));
		return new ProcessBuilder(full).redirectErrorStream(true).start();
	}

	static Result run(List<String> command, int seconds) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			throw new IllegalStateException(command + " did not finish in " + seconds + " s");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	@Override
	public void close() throws Exception {
		run(List.of("ip", "netns", "delete", this.name), 30);
	}

	/** A finished command: its exit status and output. */
	public record Result(int status, String output) {
	}

}
