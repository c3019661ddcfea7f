package io.corosync4j.engine.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The cluster's shared secret, loaded with Corosync's rules ({@code totem_config_keyread}): at least
 * 128 bytes, at most the first 4096 bytes of a longer file are used, from {@code totem.keyfile}, else
 * the inline {@code totem.key}, else the default authkey file.
 *
 * <p>Corosync does not check who may read the key; we warn when group or others can, and refuse it in
 * strict mode.
 */
public final class Authkey {

	/** {@code KNET_MIN_KEY_LEN}. */
	public static final int MIN_LENGTH = 128;

	/** {@code KNET_MAX_KEY_LEN}. */
	public static final int MAX_LENGTH = 4096;

	private static final Set<PosixFilePermission> SHARED = EnumSet.of(PosixFilePermission.GROUP_READ,
			PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

	private final byte[] bytes;

	private final String source;

	private final List<ConfigWarning> warnings;

	private Authkey(byte[] bytes, String source, List<ConfigWarning> warnings) {
		this.bytes = bytes;
		this.source = source;
		this.warnings = List.copyOf(warnings);
	}

	/**
	 * Loads the key a configuration needs.
	 * @param config the configuration
	 * @param strict refuse a key file that group or others can read or write
	 * @param environment where {@code COROSYNC_TOTEM_AUTHKEY_FILE} is looked up
	 * @return the key, or {@code null} when the configuration uses no crypto
	 * @throws ConfigException when the key cannot be used
	 */
	public static @Nullable Authkey load(CorosyncConfig config, boolean strict, Map<String, String> environment) {
		CryptoConfig crypto = config.totem().crypto();
		if (!crypto.enabled()) {
			return null;
		}
		ConfigMap keys = config.keys();
		if (crypto.keyfile() != null) {
			ConfigOrigin origin = keys.originOf("totem.keyfile", ConfigOrigin.DEFAULT);
			Path file;
			try {
				file = Path.of(crypto.keyfile());
			}
			catch (InvalidPathException ex) {
				throw new ConfigException(new ConfigProblem(ConfigStage.TOTEM, origin, "totem.keyfile",
						"Could not open " + crypto.keyfile() + ": not a usable path", "name the key file"));
			}
			return readFile(file, strict, origin, "totem.keyfile");
		}
		if (crypto.inlineKey() != null) {
			byte[] inline = inlineKeyBytes(crypto.inlineKey());
			ConfigOrigin origin = keys.originOf("totem.key", ConfigOrigin.DEFAULT);
			if (inline.length < MIN_LENGTH || inline.length > MAX_LENGTH) {
				throw new ConfigException(new ConfigProblem(ConfigStage.TOTEM, origin, "totem.key",
						(inline.length < MIN_LENGTH) ? "key is too short" : "key is too long",
						"use a key of 128 to 4096 bytes, or a keyfile"));
			}
			return new Authkey(inline, "totem.key (" + origin + ")", List.of());
		}
		Path fallback = ConfigLocations.defaultAuthkeyFile(environment);
		return readFile(fallback, strict, ConfigOrigin.of(fallback.toString()), "totem.keyfile");
	}

	/**
	 * Reads a key file.
	 * @param file the file
	 * @param strict refuse a file that group or others can read or write
	 * @return the key
	 * @throws ConfigException when the file cannot be used
	 */
	public static Authkey readFile(Path file, boolean strict) {
		return readFile(file, strict, ConfigOrigin.of(file.toString()), "totem.keyfile");
	}

	private static Authkey readFile(Path file, boolean strict, ConfigOrigin origin, String key) {
		byte[] content;
		long size;
		InputStream in;
		try {
			in = Files.newInputStream(file);
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigProblem(ConfigStage.TOTEM, origin, key,
					"Could not open " + file + ": " + ConfigParser.describe(ex),
					"create the key with the keygen command and copy the same file to every node")), ex);
		}
		try (in) {
			content = in.readNBytes(MAX_LENGTH);
			size = Files.size(file);
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigProblem(ConfigStage.TOTEM, origin, key,
					"Could not read " + file + ": " + ConfigParser.describe(ex),
					"point totem.keyfile at a key file (generate one with the keygen command)")), ex);
		}
		if (content.length < MIN_LENGTH) {
			throw new ConfigException(new ConfigProblem(ConfigStage.TOTEM, origin, key,
					"Could only read " + content.length * 8 + " bits of minimum " + MIN_LENGTH * 8 + " bits from "
							+ file + ".",
					"generate a key of 128 to 4096 bytes with the keygen command"));
		}
		List<ConfigWarning> warnings = new ArrayList<>();
		if (size > MAX_LENGTH) {
			warnings.add(new ConfigWarning(origin, key, "key file " + file + " has " + size
					+ " bytes; only the first 4096 are used, as Corosync does"));
		}
		Set<PosixFilePermission> shared = sharedPermissions(file);
		if (!shared.isEmpty()) {
			String mode = PosixFilePermissions.toString(shared);
			String text = "key file " + file + " is accessible to group or others (" + mode + ")";
			if (strict) {
				throw new ConfigException(new ConfigProblem(ConfigStage.TOTEM, origin, key, text,
						"chmod 0400 " + file + " (owner read only)"));
			}
			warnings.add(new ConfigWarning(origin, key, text + " — chmod 0400 " + file));
		}
		return new Authkey(content, file.toString(), warnings);
	}

	private static Set<PosixFilePermission> sharedPermissions(Path file) {
		try {
			Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(file));
			permissions.retainAll(SHARED);
			return permissions;
		}
		catch (UnsupportedOperationException | IOException | IllegalArgumentException ex) {
			return Set.of();
		}
	}

	/**
	 * The key material of an inline {@code totem.key}: Corosync keeps it as a C string in CMAP and uses
	 * its length including the terminating NUL, so the NUL is part of the key on the wire.
	 */
	static byte[] inlineKeyBytes(String key) {
		byte[] text = key.getBytes(StandardCharsets.UTF_8);
		return Arrays.copyOf(text, text.length + 1);
	}

	/** A copy of the key bytes. */
	public byte[] bytes() {
		return this.bytes.clone();
	}

	public int length() {
		return this.bytes.length;
	}

	/** Where the key came from: a file name or {@code totem.key}. */
	public String source() {
		return this.source;
	}

	/** What was accepted but should be fixed: an oversized or shared key file. */
	public List<ConfigWarning> warnings() {
		return this.warnings;
	}

	@Override
	public String toString() {
		return "Authkey[" + this.bytes.length + " bytes from " + this.source + "]";
	}

}
