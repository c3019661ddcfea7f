package io.corosync4j.engine.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.corosync4j.engine.docs.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration examples of {@code docs/embedding.md}, run on the repository's
 * {@code examples/three-nodes.conf} and on a broken copy of it.
 */
class ConfigDocsTests {

	@TempDir
	Path directory;

	@Test
	void aFileReadsIntoTheModelItsCmapViewItsKeyAndTheLocalNode() {
		Path file = Repository.root().resolve("examples/three-nodes.conf");
		// tag::read[]
		CorosyncConfig config = new CorosyncConfigReader().read(file);
		long token = config.totem().timers().token();      // effective: token + 650 ms per node beyond two
		String dump = config.toCmap().toCmapDump();         // the CMAP view, "key (type) = value" per line
		Authkey key = Authkey.load(config, false, System.getenv());          // null without crypto
		ClusterAddresses here = ClusterAddresses.resolve(config, HostNetwork.system());
		long nodeid = here.localNode().nodeid();           // the nodelist entry with an address of this host
		// end::read[]
		assertThat(token).isEqualTo(1650);
		assertThat(dump).contains("totem.token (u32) = 1000");
		assertThat(key).isNull();
		assertThat(nodeid).isEqualTo(1);
	}

	@Test
	void aBrokenFileNamesEveryProblemWithCorosyncsExitStatus() throws Exception {
		Path file = this.directory.resolve("corosync.conf");
		Files.writeString(file, Files.readString(Repository.root().resolve("examples/three-nodes.conf"))
			.replace("token: 1000", "token: 3s"));
		List<String> messages = List.of();
		int status = 0;
		// tag::problems[]
		try {
			new CorosyncConfigReader().read(file);
		}
		catch (ConfigException ex) {
			messages = ex.problems().stream().map(ConfigProblem::format).toList();   // file:line: key: problem — fix
			status = ex.exitStatus();                       // Corosync's: 8 configuration, 7 logging, 20 quorum
		}
		// end::problems[]
		assertThat(messages).singleElement().asString().startsWith(file + ":7: totem.token: ")
			.contains("\"3s\" was given");
		assertThat(status).isEqualTo(8);
	}

}
