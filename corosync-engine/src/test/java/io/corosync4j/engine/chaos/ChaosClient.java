package io.corosync4j.engine.chaos;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.engine.service.cpg.CpgHandle;
import io.corosync4j.engine.service.cpg.CpgListener;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.cpg.CpgTotemConfiguration;

/**
 * A corosync4j node and a CPG client in one JVM, as an application embeds them: the chaos suite's
 * process for a corosync4j node, run in the node's network namespace. It joins the group, multicasts
 * numbered messages of mixed sizes at a rate, and writes what it delivers in {@link ChaosLog}'s format.
 * Standard input steers it: {@code stop} ends the sending (line Q), {@code end} ends the process alive
 * (line E) without leaving, as a SIGKILL would; end of input stops it without E.
 *
 * <pre>
 * ChaosClient -c corosync.conf -o LOG [-a ADDRESS] [-g GROUP] [-r RATE] [-m MAX_SIZE] [-z SEED] [--wait-sync]
 * </pre>
 *
 * {@code --wait-sync} joins only once the node's first ring is synchronized (as the Spring starter does);
 * without it the client joins right after the start, as the README's CPG example does.
 */
public final class ChaosClient {

	private final BufferedWriter out;

	private volatile boolean sending = true;

	private long sent;

	private long delivered;

	private long tryAgain;

	private ChaosClient(Path log) throws IOException {
		this.out = Files.newBufferedWriter(log, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
				StandardOpenOption.APPEND);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new java.util.HashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--wait-sync")) {
				options.put("wait-sync", "true");
			}
			else if (i + 1 < args.length) {
				options.put(args[i], args[++i]);
			}
		}
		Path config = Path.of(options.get("-c"));
		ChaosClient client = new ChaosClient(Path.of(options.get("-o")));
		client.run(config, options);
	}

	private synchronized void line(String text) {
		try {
			this.out.write(text);
			this.out.write('\n');
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private synchronized void flush() {
		try {
			this.out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void run(Path configFile, Map<String, String> options) throws Exception {
		CorosyncConfig config = new CorosyncConfigReader(Map.of()).read(configFile);
		HostNetwork host = HostNetwork.system();
		if (options.containsKey("-a")) {
			host = HostNetwork.withLocalAddresses(host, List.of(InetAddress.getByName(options.get("-a"))));
		}
		String group = options.getOrDefault("-g", "chaos");
		double rate = Double.parseDouble(options.getOrDefault("-r", "200"));
		int maxSize = Integer.parseInt(options.getOrDefault("-m", "33000"));
		long pid = ProcessHandle.current().pid();
		SplittableRandom random = new SplittableRandom(Long.parseLong(options.getOrDefault("-z", "1")) ^ (pid * 0x9E3779B97F4A7C15L));
		Thread flusher = new Thread(() -> {
			while (true) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
				flush();
			}
		}, "chaos-log-flush");
		flusher.setDaemon(true);
		flusher.start();

		CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).start();
		long nodeid = node.nodeId();
		line("I corosync4j " + nodeid + " " + pid + " " + System.currentTimeMillis());
		flush();
		if (options.containsKey("wait-sync")) {
			node.awaitMembership(Membership::synced, Duration.ofMinutes(10));
		}
		CpgHandle handle = join(node, CpgName.of(group));
		if (handle.pid() != pid) {
			throw new IllegalStateException("the handle's pid " + handle.pid() + " is not the JVM's " + pid);
		}
		Thread sender = new Thread(() -> send(handle, nodeid, pid, rate, maxSize, random), "chaos-sender");
		sender.setDaemon(true);
		sender.start();
		try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
			String command;
			while ((command = in.readLine()) != null) {
				if (command.equals("stop")) {
					this.sending = false;
					sender.join(10_000);
				}
				else if (command.equals("end")) {
					this.sending = false;
					sender.join(10_000);
					synchronized (this) {
						line("E " + System.currentTimeMillis() + " " + this.sent);
						flush();
					}
					// no leave: the run's end must not add configuration changes to the others' logs
					Runtime.getRuntime().halt(0);
				}
			}
		}
		flush();
		Runtime.getRuntime().halt(1);
	}

	/** Joins, retrying while the node refuses (Corosync answers TRY_AGAIN while it synchronizes). */
	private CpgHandle join(CorosyncNode node, CpgName group) throws InterruptedException {
		while (true) {
			try {
				return node.cpg().join(group, new Listener(), true);
			}
			catch (RuntimeException ex) {
				System.out.println("join refused, trying again: " + ex);
				Thread.sleep(100);
			}
		}
	}

	private void send(CpgHandle handle, long nodeid, long pid, double rate, int maxSize, SplittableRandom random) {
		long interval = (rate > 0) ? (long) (1e9 / rate) : Long.MAX_VALUE;
		long next = System.nanoTime();
		long progress = System.nanoTime();
		int size = ChaosPayload.size(random, maxSize);
		while (this.sending) {
			long now = System.nanoTime();
			if (now - progress >= 1_000_000_000L) {
				synchronized (this) {
					line("P " + System.currentTimeMillis() + " " + this.sent + " " + this.delivered + " " + this.tryAgain);
				}
				progress = now;
			}
			if (rate <= 0 || now < next) {
				LockSupport.parkNanos(Math.min(100_000_000L, (rate <= 0) ? 100_000_000L : next - now));
				continue;
			}
			long seq;
			synchronized (this) {
				seq = this.sent + 1;
			}
			CpgHandle.SendResult result;
			try {
				result = handle.mcast(ChaosPayload.make(nodeid, pid, seq, size));
			}
			catch (IllegalStateException ex) {
				line("X " + System.currentTimeMillis() + " " + ex.getMessage().replace(' ', '_'));
				flush();
				return;
			}
			if (result == CpgHandle.SendResult.OK) {
				synchronized (this) {
					this.sent = seq;
				}
				size = ChaosPayload.size(random, maxSize);
				next += interval;
				// after a long stall, do not send what was missed in one burst
				next = Math.max(next, now - 1_000_000_000L);
			}
			else {
				synchronized (this) {
					this.tryAgain++;
				}
				LockSupport.parkNanos(2_000_000L);
			}
		}
		synchronized (this) {
			line("Q " + System.currentTimeMillis() + " " + this.sent);
			flush();
		}
	}

	private static String list(List<CpgAddress> addresses, boolean reasons) {
		if (addresses.isEmpty()) {
			return "-";
		}
		return addresses.stream()
			.map((a) -> a.nodeid() + "/" + a.pid() + (reasons ? "/" + a.reason().ordinal() : ""))
			.collect(Collectors.joining(","));
	}

	private final class Listener implements CpgListener {

		@Override
		public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			long seq = ChaosPayload.check(nodeid, pid, message);
			synchronized (ChaosClient.this) {
				ChaosClient.this.delivered++;
				if (seq >= 0) {
					line("D " + nodeid + " " + pid + " " + seq + " " + message.length);
				}
				else {
					line("B " + nodeid + " " + pid + " " + ChaosPayload.seq(message) + " " + message.length + " "
							+ System.currentTimeMillis());
				}
			}
		}

		@Override
		public void configurationChange(CpgConfigurationChange change) {
			synchronized (ChaosClient.this) {
				line("C " + System.currentTimeMillis() + " " + list(change.members(), false) + " "
						+ list(change.left(), true) + " " + list(change.joined(), true));
				flush();
			}
		}

		@Override
		public void totemConfigurationChange(CpgTotemConfiguration configuration) {
			line("T " + System.currentTimeMillis() + " " + Long.toHexString(configuration.ringId().rep()) + "."
					+ Long.toHexString(configuration.ringId().seq()) + " "
					+ (configuration.members().isEmpty() ? "-"
							: configuration.members().stream().map(String::valueOf).collect(Collectors.joining(","))));
		}

	}

}
