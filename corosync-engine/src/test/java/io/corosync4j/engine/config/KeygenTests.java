package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Key generation, and the keygen command of {@link ConfigTool}.
 */
class KeygenTests {

	@TempDir
	Path directory;

	@Test
	void generatedKeyLoadsAndIsOwnerReadOnly() throws IOException {
		Path file = this.directory.resolve("authkey");
		new Keygen(new Random(1)).generate(file, Keygen.DEFAULT_SIZE, false);
		assertThat(Files.size(file)).isEqualTo(256);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
		Authkey key = Authkey.readFile(file, true);
		assertThat(key.length()).isEqualTo(256);
		assertThat(key.warnings()).isEmpty();
		assertThat(key.bytes()).isNotEqualTo(new byte[256]);
		try (var files = Files.list(this.directory)) {
			assertThat(files).containsExactly(file);
		}
	}

	@Test
	void sizesOutsideKnetsLimitsAreRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Keygen().generate(this.directory.resolve("k"), 127, false))
			.withMessage("Unsupported key size 127 (supported <128,4096>)");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Keygen().generate(this.directory.resolve("k"), 4097, false));
	}

	@Test
	void existingKeyIsReplacedOnlyWhenAsked() throws IOException {
		Path file = this.directory.resolve("authkey");
		new Keygen(new Random(1)).generate(file, 128, false);
		byte[] first = Files.readAllBytes(file);
		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> new Keygen(new Random(2)).generate(file, 300, false));
		assertThat(Files.readAllBytes(file)).isEqualTo(first);
		new Keygen(new Random(2)).generate(file, 300, true);
		assertThat(Files.size(file)).isEqualTo(300);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--------");
	}

	@Test
	void keygenCommand() {
		Path file = this.directory.resolve("authkey");
		ToolRun result = ToolRun.of(Map.of(), "keygen", "-k", file.toString());
		assertThat(result.exit()).isZero();
		assertThat(result.out()).isEqualTo("Corosync Cluster Engine Authentication key generator.\n"
				+ "Gathering 2048 bits for key from SecureRandom.\nWriting corosync key to " + file + ".\n");
		assertThat(Authkey.readFile(file, true).length()).isEqualTo(256);

		ToolRun again = ToolRun.of(Map.of(), "keygen", "-k", file.toString());
		assertThat(again.exit()).isEqualTo(2);
		assertThat(again.err()).contains("exists").contains("--force");
		assertThat(ToolRun.of(Map.of(), "keygen", "-k", file.toString(), "-s", "4096", "--force").exit()).isZero();
		assertThat(Authkey.readFile(file, true).length()).isEqualTo(4096);

		for (String size : new String[] { "127", "4097", "0", "abc" }) {
			ToolRun refused = ToolRun.of(Map.of(), "keygen", "-k", this.directory.resolve("other").toString(), "-s", size);
			assertThat(refused.exit()).isEqualTo(1);
			assertThat(refused.err()).isEqualTo("keygen: Unsupported key size (supported <128,4096>)\n");
		}
		assertThat(Files.exists(this.directory.resolve("other"))).isFalse();
		assertThat(ToolRun.of(Map.of(), "keygen", "-k", "/nonexistent-dir/authkey").err())
			.isEqualTo("keygen: Could not create /nonexistent-dir/authkey: No such file or directory\n");
	}

	@Test
	void keygenDefaultsToTheEnvironmentsKeyFile() {
		Path file = this.directory.resolve("from-env");
		assertThat(ToolRun.of(Map.of(ConfigLocations.AUTHKEY_FILE_VARIABLE, file.toString()), "keygen").exit()).isZero();
		assertThat(Files.exists(file)).isTrue();
	}

}
