package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Authkey loading with Corosync's rules, plus the permission check Corosync lacks.
 */
class AuthkeyTests {

	@TempDir
	Path directory;

	@Test
	void keyOf128BytesIsTheSmallestAccepted() throws IOException {
		assertThat(Authkey.readFile(key("k128", 128, "r--------"), false).length()).isEqualTo(128);
		assertThatExceptionOfType(ConfigException.class)
			.isThrownBy(() -> Authkey.readFile(key("k127", 127, "r--------"), false))
			.satisfies((ex) -> {
				assertThat(ex.firstProblem().message())
					.isEqualTo("Could only read 1016 bits of minimum 1024 bits from " + this.directory.resolve("k127") + ".");
				assertThat(ex.firstProblem().fix()).contains("keygen");
				assertThat(ex.exitStatus()).isEqualTo(8);
			});
	}

	@Test
	void onlyTheFirst4096BytesOfALongerFileAreUsed() throws IOException {
		byte[] content = new byte[5000];
		for (int i = 0; i < content.length; i++) {
			content[i] = (byte) i;
		}
		Path file = this.directory.resolve("long");
		Files.write(file, content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
		Authkey key = Authkey.readFile(file, false);
		assertThat(key.bytes()).isEqualTo(java.util.Arrays.copyOf(content, 4096));
		assertThat(key.warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning.message()).contains("has 5000 bytes; only the first 4096 are used"));
	}

	@Test
	void missingFileNamesTheFile() {
		Path missing = this.directory.resolve("nokey");
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> Authkey.readFile(missing, false))
			.satisfies((ex) -> assertThat(ex.firstProblem().message())
				.isEqualTo("Could not open " + missing + ": No such file or directory"));
	}

	@Test
	void directoryIsNotAKeyFile() {
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> Authkey.readFile(this.directory, false))
			.satisfies((ex) -> assertThat(ex.firstProblem().message())
				.isEqualTo("Could not read " + this.directory + ": Is a directory"));
	}

	@Test
	void sharedKeyFileIsWarnedAboutOrRefusedInStrictMode() throws IOException {
		Path file = key("shared", 256, "rw-r--r--");
		assertThat(Authkey.readFile(file, false).warnings()).singleElement()
			.satisfies((warning) -> assertThat(warning.message()).contains("accessible to group or others (---r--r--)")
				.contains("chmod 0400"));
		assertThatExceptionOfType(ConfigException.class).isThrownBy(() -> Authkey.readFile(file, true))
			.satisfies((ex) -> assertThat(ex.firstProblem().fix()).isEqualTo("chmod 0400 " + file + " (owner read only)"));
		assertThat(Authkey.readFile(key("private", 256, "r--------"), true).warnings()).isEmpty();
	}

	@Test
	void keyfileWinsOverInlineKeyOverEnvironmentOverDefault() throws IOException {
		Path configured = key("configured", 200, "r--------");
		Path fromEnvironment = key("environment", 300, "r--------");
		Map<String, String> environment = Map.of(ConfigLocations.AUTHKEY_FILE_VARIABLE, fromEnvironment.toString());
		String crypto = "crypto_cipher: aes256\n\tcrypto_hash: sha256";
		String nodes = "nodelist {\n\tnode {\n\t\tnodeid: 1\n\t\tring0_addr: 10.0.0.1\n\t}\n}\n";
		CorosyncConfig withKeyfile = CorosyncConfigReaderTests.read(CorosyncConfigReaderTests
			.totem(crypto + "\n\tkeyfile: " + configured + "\n\tkey: " + "x".repeat(150)) + nodes);
		assertThat(Authkey.load(withKeyfile, false, environment).length()).isEqualTo(200);
		CorosyncConfig withInlineKey = CorosyncConfigReaderTests
			.read(CorosyncConfigReaderTests.totem(crypto + "\n\tkey: " + "x".repeat(150)) + nodes);
		assertThat(Authkey.load(withInlineKey, false, environment).length()).isEqualTo(151);
		CorosyncConfig withDefault = CorosyncConfigReaderTests.read(CorosyncConfigReaderTests.totem(crypto) + nodes);
		assertThat(Authkey.load(withDefault, false, environment).length()).isEqualTo(300);
		assertThat(Authkey.load(withDefault, false, environment).source()).isEqualTo(fromEnvironment.toString());
		CorosyncConfig plain = CorosyncConfigReaderTests.read(CorosyncConfigReaderTests.totem("") + nodes);
		assertThat(Authkey.load(plain, false, environment)).isNull();
	}

	@Test
	void neverPrintsTheKey() throws IOException {
		Authkey key = Authkey.readFile(key("k", 128, "r--------"), false);
		assertThat(key.toString()).isEqualTo("Authkey[128 bytes from " + this.directory.resolve("k") + "]");
	}

	private Path key(String name, int size, String mode) throws IOException {
		Path file = this.directory.resolve(name);
		Files.write(file, new byte[size]);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
		return file;
	}

}
