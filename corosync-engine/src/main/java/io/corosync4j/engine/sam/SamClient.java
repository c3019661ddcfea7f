package io.corosync4j.engine.sam;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The supervised process's side of {@link SamSupervisor} ({@code sam_*} in the child): heartbeats, start
 * and stop of checking, and the data store, over a loopback connection the supervisor announces in
 * {@code COROSYNC4J_SAM_PORT}.
 */
public final class SamClient implements AutoCloseable {

	/** The supervisor's port, set in the child's environment. */
	public static final String PORT_VARIABLE = "COROSYNC4J_SAM_PORT";

	/** This process's instance id (1, plus one per restart). */
	public static final String INSTANCE_VARIABLE = "COROSYNC4J_SAM_INSTANCE";

	private final Socket socket;

	private final PrintWriter out;

	private final BufferedReader in;

	private final int instanceId;

	private SamClient(int port, int instanceId) throws IOException {
		this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
		this.out = new PrintWriter(this.socket.getOutputStream(), true, StandardCharsets.UTF_8);
		this.in = new BufferedReader(new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		this.instanceId = instanceId;
		send("HELLO " + instanceId);
	}

	/**
	 * Connects to the supervisor that started this process.
	 * @throws IllegalStateException when this process was not started by a {@link SamSupervisor}
	 */
	public static SamClient connect() throws IOException {
		String port = System.getenv(PORT_VARIABLE);
		String instance = System.getenv(INSTANCE_VARIABLE);
		if (port == null || instance == null) {
			throw new IllegalStateException("not started by a SAM supervisor (" + PORT_VARIABLE + " is not set)");
		}
		return new SamClient(Integer.parseInt(port), Integer.parseInt(instance));
	}

	public int instanceId() {
		return this.instanceId;
	}

	/** Arms checking. */
	public void start() {
		send("START");
	}

	/** Disarms checking. */
	public void stop() {
		send("STOP");
	}

	/** A heartbeat. */
	public void hcSend() {
		send("HC");
	}

	/** Fails this process for good: the supervisor kills it and quits. */
	public void markFailed() {
		send("FAILED");
	}

	/** Keeps {@code data} in the supervisor for the next instance. */
	public void dataStore(byte[] data) {
		send("STORE " + Base64.getEncoder().encodeToString(data));
	}

	/** What an earlier instance stored (empty when nothing). */
	public synchronized byte[] dataRestore() {
		send("RESTORE");
		try {
			String reply = this.in.readLine();
			if (reply == null || !reply.startsWith("DATA ")) {
				throw new IOException("unexpected reply from the SAM supervisor: " + reply);
			}
			return Base64.getDecoder().decode(reply.substring(5));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private synchronized void send(String line) {
		this.out.println(line);
		if (this.out.checkError()) {
			throw new UncheckedIOException(new IOException("the SAM supervisor is gone"));
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
