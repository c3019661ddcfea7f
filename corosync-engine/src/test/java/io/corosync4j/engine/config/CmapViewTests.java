package io.corosync4j.engine.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CMAP view of a configuration has the keys, types and values that Corosync 3.1.7 showed in
 * {@code corosync-cmapctl} for the same file, for every key that comes from the configuration.
 */
class CmapViewTests {

	/** Key prefixes filled from the configuration; the rest of a dump is runtime state of services. */
	private static final List<String> CONFIG_PREFIXES = List.of("totem.", "nodelist.", "logging.", "quorum.",
			"system.", "runtime.config.");

	@ParameterizedTest
	@ValueSource(strings = { "cmap-udpu-3", "cmap-knet-2-crypto" })
	void matchesTheRecordedDump(String name) {
		CorosyncConfig config = new CorosyncConfigReader(Map.of())
			.read(ConfigParser.parse(name + ".conf", Fixtures.config(name)));
		ClusterAddresses addresses = ClusterAddresses.resolve(config, FakeHost.fixtureNode1());
		Set<String> actual = configLines(config.toCmap(addresses).toCmapDump());
		Set<String> expected = configLines(Fixtures.text(name + ".icmap.txt"));
		assertThat(expected).hasSizeGreaterThan(40);
		assertThat(actual).containsExactlyElementsOf(expected);
	}

	private static Set<String> configLines(String dump) {
		return Arrays.stream(dump.split("\n"))
			.map(String::stripTrailing)
			.filter((line) -> CONFIG_PREFIXES.stream().anyMatch(line::startsWith))
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
