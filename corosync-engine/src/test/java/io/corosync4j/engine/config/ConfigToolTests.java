package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code check} command: {@code corosync -t} with every problem listed and Corosync's exit status.
 */
class ConfigToolTests {

	@TempDir
	Path directory;

	@Test
	void validConfigurationPrintsASummaryAndTheCmapView() throws IOException {
		Path file = write(Fixtures.config("cmap-udpu-3"));
		ToolRun result = ToolRun.of(Map.of(), "check", "-c", file.toString(), "--cmap");
		assertThat(result.exit()).isZero();
		assertThat(result.err()).isEqualTo(file + ": valid; local node 1, 3 node(s), transport udpu, token 3650 ms\n");
		assertThat(result.out()).contains("runtime.config.totem.token (u32) = 3650\n")
			.contains("nodelist.local_node_pos (u32) = 0\n");
	}

	@Test
	void configurationFileComesFromTheEnvironmentWhenNotGiven() throws IOException {
		Path file = write(Fixtures.config("s-valid"));
		ToolRun result = ToolRun.of(Map.of(ConfigLocations.MAIN_CONFIG_FILE_VARIABLE, file.toString()), "check");
		assertThat(result.exit()).as(result.err()).isZero();
		Path other = this.directory.resolve("missing.conf");
		ToolRun explicit = ToolRun.of(Map.of(ConfigLocations.MAIN_CONFIG_FILE_VARIABLE, file.toString()), "check", "-c",
				other.toString());
		assertThat(explicit.exit()).isEqualTo(8);
		assertThat(explicit.err()).contains("Can't read file " + other + ": No such file or directory");
	}

	@Test
	void problemsAreListedWithCorosyncsExitStatus() throws IOException {
		assertThat(ToolRun.of(Map.of(), "check", "-c", write(Fixtures.config("v-logging-bogus-value")).toString()).exit())
			.isEqualTo(7);
		ToolRun services = ToolRun.of(Map.of(), "check", "-c", write(Fixtures.config("v-quorum-provider-bogus")).toString());
		assertThat(services.exit()).isEqualTo(20);
		assertThat(services.err()).startsWith("error: ").contains("quorum.provider: Invalid quorum provider — ");
		ToolRun syntax = ToolRun.of(Map.of(), "check", "-c", write("totem {\n").toString());
		assertThat(syntax.exit()).isEqualTo(8);
		assertThat(syntax.err()).isEqualTo("error: " + this.directory.resolve("corosync.conf")
				+ ":1: Missing closing brace — close section 'totem' with a '}' line\n");
	}

	@Test
	void warningsArePrinted() throws IOException {
		ToolRun result = ToolRun.of(Map.of(), "check", "-c", write(Fixtures.config("v-unknown-section")).toString());
		assertThat(result.exit()).isZero();
		assertThat(result.err()).contains("warning: ").contains("foo.bar: unknown key");
	}

	@Test
	void usageErrors() {
		assertThat(ToolRun.of(Map.of(), "frobnicate").exit()).isEqualTo(1);
		assertThat(ToolRun.of(Map.of()).exit()).isEqualTo(1);
		assertThat(ToolRun.of(Map.of(), "check", "-x").err()).startsWith("unknown option '-x'");
		assertThat(ToolRun.of(Map.of(), "help").out()).contains("keygen");
	}

	private Path write(String text) throws IOException {
		Path file = this.directory.resolve("corosync.conf");
		Files.writeString(file, text);
		return file;
	}


	@Test
	void whatCorosync4jCannotRunYetIsReportedButCorosyncValidityDecidesTheExitStatus() throws IOException {
		// knet with redundant links runs
		Path links = write(Fixtures.config("cmap-udpu-3").replace("transport: udpu", "transport: knet")
			.replace("ring0_addr: 10.98.0.1", "ring0_addr: 10.98.0.1\n\t\tring1_addr: 10.99.0.1")
			.replace("ring0_addr: 10.98.0.2", "ring0_addr: 10.98.0.2\n\t\tring1_addr: 10.99.0.2")
			.replace("ring0_addr: 10.98.0.3", "ring0_addr: 10.98.0.3\n\t\tring1_addr: 10.99.0.3"));
		ToolRun knet = ToolRun.of(Map.of(), "check", "-c", links.toString());
		assertThat(knet.exit()).as(knet.err()).isZero();
		assertThat(knet.err()).doesNotContain("not supported");
		Path udpu = write(Fixtures.config("cmap-udpu-3").replace("totem {", "totem {\n\tdowncheck: 2000"));
		ToolRun downcheck = ToolRun.of(Map.of(), "check", "-c", udpu.toString());
		assertThat(downcheck.exit()).as(downcheck.err()).isZero();
		assertThat(downcheck.err()).contains("not supported by corosync4j yet: " + udpu + ":")
			.contains("totem.downcheck: downcheck (interface re-check period) is not supported");
	}

}
