package io.corosync4j.engine.config;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One run of {@link ConfigTool} on the fixture host, with what it printed.
 *
 * @param exit the exit status
 * @param out standard output
 * @param err standard error
 */
record ToolRun(int exit, String out, String err) {

	static ToolRun of(Map<String, String> environment, String... args) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = new ConfigTool(new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), environment, FakeHost.fixtureNode1())
			.run(args);
		return new ToolRun(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

}
