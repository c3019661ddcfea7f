package io.corosync4j.engine.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Seeds;

/**
 * The files a node reads: {@code corosync.conf} ({@link ConfigParser#parse}, then {@link
 * CorosyncConfigReader#read} and an inline {@code totem.key}) and the authkey ({@link Authkey#readFile});
 * each rejects with a {@link ConfigException}.
 */
public final class ConfigFuzzTargets {

	private ConfigFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(corosyncConf(), authkey());
	}

	private static FuzzTarget corosyncConf() {
		CorosyncConfigReader reader = new CorosyncConfigReader(Map.of());
		FuzzTarget.Decoder decoder = (input) -> {
			try {
				CorosyncConfig config = reader.read(ConfigParser.parse("corosync.conf", input));
				CryptoConfig crypto = config.totem().crypto();
				if (crypto.enabled() && crypto.keyfile() == null && crypto.inlineKey() != null) {
					Authkey.load(config, true, Map.of());
				}
				return true;
			}
			catch (ConfigException ex) {
				return false;
			}
		};
		return new FuzzTarget() {

			@Override
			public String name() {
				return "corosync-conf";
			}

			@Override
			public String description() {
				return "ConfigParser.parse(String, byte[]), CorosyncConfigReader.read, inline Authkey.load: "
						+ "a configuration or ConfigException";
			}

			@Override
			public List<byte[]> seeds() {
				return Seeds.configs();
			}

			@Override
			public boolean text() {
				return true;
			}

			@Override
			public int shortRunInputs() {
				return 2_000;
			}

			@Override
			public long allocationBound(int length) {
				// keys, values, origins and problem texts: several copies of the text, each a few objects
				return 4 * 1024 * 1024 + 256L * length;
			}

			@Override
			public boolean decode(byte[] input) throws Exception {
				return decoder.decode(input);
			}

		};
	}

	private static FuzzTarget authkey() {
		Path file = keyFile();
		List<byte[]> seeds = new ArrayList<>();
		seeds.add(Seeds.authkey());
		seeds.add(new byte[Authkey.MIN_LENGTH]);
		seeds.add(new byte[Authkey.MAX_LENGTH + 1]);
		// a file is written and read per input: fewer of them in the build
		return FuzzTarget.of("authkey", "Authkey.readFile(Path, boolean): a key or ConfigException", seeds, (input) -> {
			Files.write(file, input);
			try {
				Authkey key = Authkey.readFile(file, true);
				if (key.length() < Authkey.MIN_LENGTH || key.length() > Authkey.MAX_LENGTH) {
					throw new IllegalStateException("a key of " + key.length() + " bytes was accepted");
				}
				return true;
			}
			catch (ConfigException ex) {
				return false;
			}
		}).withShortRunInputs(2_000);
	}

	/** An owner-only file, removed when the JVM exits. */
	private static Path keyFile() {
		try {
			Path file = Files.createTempFile("fuzz-authkey", ".key",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			file.toFile().deleteOnExit();
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
