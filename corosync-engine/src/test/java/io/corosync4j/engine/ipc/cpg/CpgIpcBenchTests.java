package io.corosync4j.engine.ipc.cpg;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.corosync4j.engine.ipc.CClients;
import io.corosync4j.engine.ipc.IpcAccess;
import io.corosync4j.engine.ipc.IpcNamespace;
import io.corosync4j.engine.ipc.IpcServer;
import io.corosync4j.engine.ipc.IpcSettings;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.InteropCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository's C cpgbench through Debian's libcpg against a one-node Java ring: every size and the
 * latency run complete with every message. Figures are the benchmark suite's business
 * ({@code BenchmarkSuite --corosync4j-ipc}), which runs it beside the daemon on a quiet machine.
 */
class CpgIpcBenchTests {

	private static final String SIZES = "64,1024,65536";

	@TempDir
	Path directory;

	@Test
	void cpgbenchCompletesThroughLibcpgAgainstAJavaNode() throws Exception {
		InteropCluster.requireTools("gcc", "pkg-config");
		Path bench = build("cpgbench");
		try (IpcNamespace namespace = IpcNamespace.create();
				CorosyncNode node = SingleNode.start(this.directory.resolve("java"));
				IpcServer server = IpcServer.start(IpcSettings.defaults().withNetworkNamespace(namespace.path()),
						IpcAccess.ROOT_ONLY, List.of(new CpgIpcService(node.cpg())), node.eventLoop())) {
			IpcNamespace.Result sender = namespace.run(bench.toString(), "sender", "-m", "1", "-z", SIZES, "-s", "1");
			IpcNamespace.Result latency = namespace.run(bench.toString(), "latency", "-m", "1", "-n", "1000", "-w", "0");
			for (String size : SIZES.split(",")) {
				assertThat(sender.output()).containsPattern("(?m)^\\| " + size + " \\| [1-9]\\d* \\|");
			}
			assertThat(sender.status()).as(sender.output()).isZero();
			assertThat(latency(latency.output())).as(latency.output()).isNotNull();
			assertThat(latency.status()).as(latency.output()).isZero();
		}
	}

	private static String latency(String output) {
		Matcher matcher = Pattern.compile("p50 (\\d+) us, p90 (\\d+) us, p99 (\\d+) us").matcher(output);
		return matcher.find() ? matcher.group() : null;
	}

	private Path build(String program) throws Exception {
		return CClients.build(this.directory, "/interop/" + program + ".c", program, "libcpg");
	}

}
