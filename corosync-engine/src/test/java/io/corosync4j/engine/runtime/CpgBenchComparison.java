package io.corosync4j.engine.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cpgbench, the same way for both: 3 corosync4j nodes, each in its own JVM on loopback, and 3 Debian
 * Corosync 3 daemons in network namespaces with {@code cpgbench.c}; one sender, throughput counted at the
 * slower of the two receivers (all messages delivered), then 64-byte self-delivery latency, for each
 * transport setting in {@code -Dcorosync4j.benchmark.transports} ({@code udpu,knet,knet-aes256}). Prints
 * one markdown table. Not a test:
 * {@code ./mvnw -pl corosync-engine test -Dtest=CpgBenchComparison -Dcorosync4j.benchmark=true}.
 */
@EnabledIfSystemProperty(named = "corosync4j.benchmark", matches = "true")
class CpgBenchComparison {

	private static final String SIZES = System.getProperty("corosync4j.benchmark.sizes", "64,1024,16384,65536,1048576");

	private static final String SECONDS = System.getProperty("corosync4j.benchmark.seconds", "5");

	private static final Pattern RECEIVED = Pattern.compile("size (\\d+)( B| KiB| MiB)?, (\\d+) messages in ([\\d.]+) s");

	private static final Pattern LATENCY = Pattern.compile("p50 (\\d+) .s, p90 (\\d+) .s, p99 (\\d+) .s");

	@TempDir
	Path directory;

	/** Which transport settings to compare: {@code udpu}, {@code knet} and {@code knet-aes256}. */
	private static final String TRANSPORTS = System.getProperty("corosync4j.benchmark.transports", "udpu");

	private static final byte[] KEY = new java.util.Random(2026).ints(256, 0, 256).collect(
			java.io.ByteArrayOutputStream::new, java.io.ByteArrayOutputStream::write, (a, b) -> a.writeBytes(b.toByteArray()))
		.toByteArray();

	@Test
	void corosync4jAndCorosyncSideBySide() throws Exception {
		StringBuilder table = new StringBuilder(
				"| transport | size | corosync4j msgs/s | corosync4j MB/s | Corosync 3.1.7 msgs/s | Corosync MB/s | ratio |\n"
						+ "|---|---:|---:|---:|---:|---:|---:|\n");
		for (String transport : TRANSPORTS.split(",")) {
			Map<Integer, Double> java = new TreeMap<>();
			String javaLatency = runJava(transport, java);
			Map<Integer, Double> corosync = new TreeMap<>();
			String corosyncLatency = runCorosync(transport, corosync);
			for (int size : java.keySet()) {
				double j = java.get(size);
				double c = corosync.getOrDefault(size, 0.0);
				table.append(String.format("| %s | %d | %,.0f | %.1f | %,.0f | %.1f | %.2f |%n", transport, size, j,
						j * size / 1e6, c, c * size / 1e6, (c > 0) ? j / c : 0));
			}
			table.append("| ").append(transport).append(" | 64 B latency p50/p90/p99 µs | ").append(javaLatency)
				.append(" | | ").append(corosyncLatency).append(" | | |\n");
		}
		System.out.println();
		System.out.print(table);
	}

	/**
	 * The totem keys of a transport setting. knet's path MTU is fixed at 1500 for both sides: the Java
	 * nodes run on loopback (MTU 65536) and the daemons on veths (1500), and the MTU decides how many
	 * knet fragments a Totem frame becomes.
	 */
	private static String totemKeys(String transport, Path keyfile) {
		return switch (transport) {
			case "udpu" -> "";
			case "knet" -> " knet_mtu: 1500\n";
			case "knet-aes256" -> " knet_mtu: 1500\n crypto_cipher: aes256\n crypto_hash: sha256\n keyfile: " + keyfile
					+ "\n";
			default -> throw new IllegalArgumentException("transport " + transport);
		};
	}

	private String runJava(String transport, Map<Integer, Double> rates) throws Exception {
		LocalCluster cluster = new LocalCluster(this.directory.resolve("java-" + transport), 3, 1000);
		Path keyfile = cluster.directory.resolve("authkey");
		Files.write(keyfile, KEY);
		Files.setPosixFilePermissions(keyfile, java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
		cluster.extraTotem = " transport: " + (transport.startsWith("knet") ? "knet" : transport) + "\n"
				+ totemKeys(transport, keyfile);
		List<Process> receivers = new ArrayList<>();
		for (int node = 2; node <= 3; node++) {
			receivers.add(javaBench(cluster, node, "receiver"));
		}
		Process sender = javaBench(cluster, 1, "sender");
		collect(sender, receivers, rates);
		receivers.clear();
		for (int node = 2; node <= 3; node++) {
			receivers.add(javaBench(cluster, node, "receiver"));
		}
		Process latency = javaBench(cluster, 1, "latency");
		String line = latencyOf(latency);
		for (Process receiver : receivers) {
			receiver.destroy();
			receiver.waitFor(10, TimeUnit.SECONDS);
		}
		return line;
	}

	private Process javaBench(LocalCluster cluster, int node, String mode) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		return new ProcessBuilder(java.toString(), "-Xms256m", "-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
				"-cp", System.getProperty("java.class.path"), CpgBench.class.getName(), "-c",
				cluster.configFile(node).toString(), "-a", "127.0.0." + node, "--mode", mode, "--sizes", SIZES,
				"--seconds", SECONDS)
			.redirectErrorStream(true)
			.start();
	}

	private String runCorosync(String transport, Map<Integer, Double> rates) throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path home = this.directory.resolve("corosync-" + transport);
		Files.createDirectories(home);
		try (InteropCluster cluster = new InteropCluster(home)) {
			boolean encrypted = transport.equals("knet-aes256");
			cluster.extraTotem = transport.startsWith("knet") ? "\tknet_mtu: 1500\n" : "";
			Path source = cluster.directory.resolve("cpgbench.c");
			cluster.copyResource("/interop/cpgbench.c", source);
			Path binary = cluster.directory.resolve("cpgbench");
			InteropCluster.run(List.of("sh", "-c",
					"gcc -O2 -o " + binary + " " + source + " $(pkg-config --cflags --libs libcpg)"));
			assertThat(binary).isExecutable();
			cluster.up(0);
			List<Process> daemons = new ArrayList<>();
			for (int node = 1; node <= 3; node++) {
				cluster.writeConfig(node, transport.startsWith("knet") ? "knet" : transport, true, encrypted ? KEY : null);
				daemons.add(cluster.startDaemon(node));
			}
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[3]: 1 2 3"));
			List<Process> receivers = new ArrayList<>();
			for (int node = 2; node <= 3; node++) {
				receivers.add(cBench(cluster, daemons.get(node - 1), binary, "receiver"));
			}
			Thread.sleep(1000);
			Process sender = cBench(cluster, daemons.get(0), binary, "sender");
			collect(sender, receivers, rates);
			return latencyOf(new ProcessBuilder(cluster.inDaemon(daemons.get(0), binary.toString(), "latency", "-m", "1"))
				.redirectErrorStream(true)
				.start());
		}
	}

	private static Process cBench(InteropCluster cluster, Process daemon, Path binary, String mode) throws IOException {
		return new ProcessBuilder(cluster.inDaemon(daemon, binary.toString(), mode, "-m", "3", "-z", SIZES, "-s", SECONDS))
			.redirectErrorStream(true)
			.start();
	}

	/** Waits for the sender, then takes each size's rate at the slower receiver. */
	private static void collect(Process sender, List<Process> receivers, Map<Integer, Double> rates) throws Exception {
		String senderOutput = output(sender);
		System.out.println(senderOutput);
		for (Process receiver : receivers) {
			String text = output(receiver);
			Matcher matcher = RECEIVED.matcher(text);
			int found = 0;
			while (matcher.find()) {
				int size = Integer.parseInt(matcher.group(1)) * unit(matcher.group(2));
				double rate = Long.parseLong(matcher.group(3)) / Double.parseDouble(matcher.group(4));
				rates.merge(size, rate, Math::min);
				found++;
			}
			assertThat(found).as("receiver output:%n%s", text).isEqualTo(SIZES.split(",").length);
		}
	}

	private static String latencyOf(Process latency) throws Exception {
		String text = output(latency);
		Matcher matcher = LATENCY.matcher(text);
		assertThat(matcher.find()).as("latency output:%n%s", text).isTrue();
		return matcher.group(1) + " / " + matcher.group(2) + " / " + matcher.group(3);
	}

	private static int unit(String unit) {
		if (unit == null || unit.equals(" B")) {
			return 1;
		}
		return unit.equals(" KiB") ? 1024 : 1024 * 1024;
	}

	private static String output(Process process) throws Exception {
		assertThat(process.waitFor(15, TimeUnit.MINUTES)).isTrue();
		return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
	}

}
