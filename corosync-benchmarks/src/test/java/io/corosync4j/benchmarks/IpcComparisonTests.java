package io.corosync4j.benchmarks;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.corosync4j.benchmarks.BenchmarkSuite.Report;
import io.corosync4j.benchmarks.BenchmarkSuite.Row;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The IPC table sets the C client against a Java node beside the same client against the daemon, and
 * against a daemon on libqb's sockets when the run had one.
 */
class IpcComparisonTests {

	@Test
	void comparesWithTheDaemonAndWithTheDaemonOnSockets() {
		List<Row> rows = List.of(row(BenchmarkSuite.IPC_PEER, "udpu", 900, 100, 200),
				row("Corosync 3.1.7", "udpu", 1000, 90, 150), row("Corosync 3.1.7", "udpu-socket-ipc", 600, 120, 300));
		String table = Report.ipcComparison(rows, List.of(64));
		assertThat(table).contains("| udpu | 0.90 | 0.90 | 0.75 |\n")
			.contains("| udpu-socket-ipc | 1.50 | 1.20 | 1.50 |\n");
	}

	@Test
	void leavesOutASettingTheDaemonDidNotRun() {
		List<Row> rows = List.of(row(BenchmarkSuite.IPC_PEER, "knet", 900, 100, 200),
				row("Corosync 3.1.7", "udpu", 1000, 90, 150));
		assertThat(Report.ipcComparison(rows, List.of(64))).isEmpty();
	}

	private static Row row(String peer, String setting, double rate, long p50, long p99) {
		return new Row(peer, setting, 1, new Measurement(Map.of(64, rate), new long[] { p50, p50, p99 }), null, 0);
	}

}
