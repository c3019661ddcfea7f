package io.corosync4j.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code uidgid} sections of {@code corosync.conf} and of the files in {@code uidgid.d}, as Corosync
 * 3.1.7's {@code coroparse.c} turns them into {@code uidgid.config.uid.<uid>} and
 * {@code uidgid.config.gid.<gid>} keys.
 */
class UidgidConfigTests {

	/** A host with the users and groups of a Pacemaker cluster. */
	private static final HostAccounts CLUSTER_HOST = new HostAccounts() {

		@Override
		public OptionalLong userId(String name) {
			return name.equals("hacluster") ? OptionalLong.of(105) : OptionalLong.empty();
		}

		@Override
		public OptionalLong groupId(String name) {
			return name.equals("haclient") ? OptionalLong.of(108) : OptionalLong.empty();
		}

	};

	@TempDir
	Path directory;

	@Test
	void namesAreStoredByTheirIds() {
		ConfigMap map = parse("uidgid {\n\tuid: hacluster\n\tgid: haclient\n}\n");
		assertThat(map.withPrefix("uidgid.")).extracting(ConfigEntry::toCmapLine)
			.containsExactly("uidgid.config.gid.108 (u8) = 1", "uidgid.config.uid.105 (u8) = 1");
	}

	@ParameterizedTest
	@CsvSource({ "1000, 1000", "+05, 5", "-0, 0", "4294967294, 4294967294" })
	void decimalNumbersAreIdsAsWritten(String written, String id) {
		assertThat(parse("uidgid {\n\tuid: " + written + "\n}\n").number("uidgid.config.uid." + id)).hasValue(1);
	}

	@Test
	void aNumberOutsideTheIdsIsAName() {
		HostAccounts numericNames = new HostAccounts() {

			@Override
			public OptionalLong userId(String name) {
				return OptionalLong.of(name.length());
			}

			@Override
			public OptionalLong groupId(String name) {
				return OptionalLong.of(name.length());
			}

		};
		ConfigMap map = ConfigParser.parse("corosync.conf",
				"uidgid {\n\tuid: 4294967296\n\tgid: -1\n}\n".getBytes(), numericNames);
		assertThat(map.withPrefix("uidgid.")).extracting(ConfigEntry::key)
			.containsExactly("uidgid.config.gid.2", "uidgid.config.uid.10");
	}

	@Test
	void minusOneNamesNobody() {
		assertParseError("uidgid {\n\tgid: 4294967295\n}\n", "corosync.conf", 2, "4294967295 is not a valid gid");
	}

	@Test
	void anUnknownUserIsRefusedAsCorosyncRefusesIt() {
		assertParseError("totem {\n}\nuidgid {\n\tuid: nobodyhere\n}\n", "corosync.conf", 4,
				"The 'nobodyhere' user is not found in /etc/passwd, please read the documentation.");
		assertParseError("uidgid {\n\tgid: nogroup\n}\n", "corosync.conf", 2,
				"The 'nogroup' group is not found in /etc/group, please read the documentation.");
	}

	@Test
	void aFailedLookupSaysWhy() {
		HostAccounts broken = new HostAccounts() {

			@Override
			public OptionalLong userId(String name) throws IOException {
				throw new IOException("directory server down");
			}

			@Override
			public OptionalLong groupId(String name) throws IOException {
				throw new IOException("directory server down");
			}

		};
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> ConfigParser.parse("corosync.conf", "uidgid {\n\tuid: hacluster\n}\n".getBytes(), broken))
			.satisfies((ex) -> assertThat(ex.firstProblem().message())
				.isEqualTo("Can't look up user 'hacluster': directory server down"));
	}

	@Test
	void theHostsAccountsAreAskedThroughTheCLibrary() throws IOException {
		assertThat(HostAccounts.system().userId("root")).hasValue(0);
		assertThat(HostAccounts.system().groupId("root")).hasValue(0);
		assertThat(HostAccounts.system().userId("no-such-user-c4j")).isEmpty();
		assertThat(HostAccounts.system().groupId("-no-such-group")).isEmpty();
		assertThat(ConfigParser.parse("corosync.conf", "uidgid {\n\tuid: root\n}\n".getBytes())
			.number("uidgid.config.uid.0")).hasValue(1);
	}

	@Test
	void filesOfUidgidDirectoryNextToTheConfigurationAddEntries() throws IOException {
		Path config = write("corosync.conf", "totem {\n\tversion: 2\n}\nuidgid {\n\tuid: 1000\n}\n");
		write("uidgid.d/pacemaker", "uidgid {\n\tuid: hacluster\n\tgid: haclient\n}\n");
		write("uidgid.d/.hidden", "# every regular file counts, as for Corosync\nuidgid {\n\tgid: 2000\n}\n");
		write("uidgid.d/nested/ignored", "not even { valid");
		ConfigMap map = ConfigParser.parse(config, CLUSTER_HOST);
		assertThat(map.withPrefix("uidgid.")).extracting(ConfigEntry::toCmapLine).containsExactly(
				"uidgid.config.gid.108 (u8) = 1", "uidgid.config.gid.2000 (u8) = 1", "uidgid.config.uid.1000 (u8) = 1",
				"uidgid.config.uid.105 (u8) = 1");
		assertThat(map.source()).isEqualTo(config.toString());
		assertThat(map.get("uidgid.config.uid.105").origin())
			.isEqualTo(ConfigOrigin.of(this.directory.resolve("uidgid.d/pacemaker").toString(), 2));
	}

	@Test
	void noUidgidDirectoryIsNoEntries() throws IOException {
		Path config = write("corosync.conf", "totem {\n\tversion: 2\n}\n");
		assertThat(ConfigParser.parse(config, CLUSTER_HOST).withPrefix("uidgid.")).isEmpty();
	}

	@Test
	void aFileOfUidgidDirectoryHoldsOnlyUidgidSections() throws IOException {
		Path config = write("corosync.conf", "totem {\n\tversion: 2\n}\n");
		Path file = write("uidgid.d/bad", "uid: 1000\n");
		assertFileError(config, file, 1, "uidgid: Only uid and gid are allowed items");
		write("uidgid.d/bad", "totem {\n\ttoken: 1000\n}\n");
		assertFileError(config, file, 1, "uidgid: Can't add subsection different than uidgid");
		write("uidgid.d/bad", "uidgid {\n\tuid: 1000\n\tmore {\n\t}\n}\n");
		assertFileError(config, file, 3, "uidgid: Can't add subsection different than uidgid");
		write("uidgid.d/bad", "uidgid {\n\tuser: 1000\n}\n");
		assertFileError(config, file, 2, "uidgid: Only uid and gid are allowed items");
		write("uidgid.d/bad", "uidgid {\n\tuid: nobodyhere\n}\n");
		assertFileError(config, file, 2,
				"The 'nobodyhere' user is not found in /etc/passwd, please read the documentation.");
	}

	@Test
	void aReloadedNodeReadsTheDirectoryAgain() throws IOException {
		Path config = write("corosync.conf", "totem {\n\tversion: 2\n}\n");
		write("uidgid.d/a", "uidgid {\n\tuid: 1000\n}\n");
		assertThat(ConfigParser.parse(config, CLUSTER_HOST).withPrefix("uidgid.")).extracting(ConfigEntry::key)
			.containsExactly("uidgid.config.uid.1000");
		Files.delete(this.directory.resolve("uidgid.d/a"));
		write("uidgid.d/b", "uidgid {\n\tgid: 1001\n}\n");
		assertThat(ConfigParser.parse(config, CLUSTER_HOST).withPrefix("uidgid.")).extracting(ConfigEntry::key)
			.containsExactly("uidgid.config.gid.1001");
	}

	@Test
	void theNodesConfigurationCarriesTheEntriesIntoItsCmapView() throws IOException {
		Path config = write("corosync.conf", Fixtures.config("s-valid"));
		write("uidgid.d/a", "uidgid {\n\tuid: 1000\n}\n");
		CorosyncConfig read = new CorosyncConfigReader(Map.of()).read(config);
		assertThat(read.toCmap().number("uidgid.config.uid.1000")).hasValue(1);
	}

	@Test
	void theDocumentedSectionAllowsTwoUsersAndAGroup() throws IOException {
		ConfigMap map;
		try (InputStream in = getClass().getResourceAsStream("/docs/uidgid.conf")) {
			map = ConfigParser.parse("uidgid.conf", in.readAllBytes(), CLUSTER_HOST);
		}
		assertThat(map.withPrefix("uidgid.")).extracting(ConfigEntry::key)
			.containsExactly("uidgid.config.gid.108", "uidgid.config.uid.1000", "uidgid.config.uid.105");
	}

	private Path write(String name, String content) throws IOException {
		Path file = this.directory.resolve(name);
		Files.createDirectories(file.getParent());
		return Files.writeString(file, content);
	}

	private static ConfigMap parse(String text) {
		return ConfigParser.parse("corosync.conf", text.getBytes(), CLUSTER_HOST);
	}

	private static void assertParseError(String text, String source, int line, String message) {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> parse(text))
			.satisfies((ex) -> assertProblem(ex, source, line, message));
	}

	private static void assertFileError(Path config, Path file, int line, String message) {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> ConfigParser.parse(config, CLUSTER_HOST))
			.satisfies((ex) -> assertProblem(ex, file.toString(), line, message));
	}

	private static void assertProblem(ConfigException ex, String source, int line, String message) {
		assertThat(ex.firstProblem().message()).isEqualTo(message);
		assertThat(ex.firstProblem().origin()).isEqualTo(ConfigOrigin.of(source, line));
		assertThat(ex.exitStatus()).isEqualTo(8);
	}

}
