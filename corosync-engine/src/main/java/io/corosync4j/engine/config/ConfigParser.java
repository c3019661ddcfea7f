package io.corosync4j.engine.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

/**
 * Parses the {@code corosync.conf} syntax into a typed {@link ConfigMap}, following the rules of
 * Corosync 3.1.7's {@code exec/coroparse.c}: {@code name {} sections, {@code key: value} items,
 * {@code #} comments only at the start of a line, values trimmed but otherwise kept as written
 * (quotes and trailing "comments" included), the last of repeated keys wins, repeated sections merge.
 *
 * <p>Indexed sections get Corosync's key names: {@code totem.interface.<linknumber>.*},
 * {@code nodelist.node.<position>.*}, {@code logging.logger_subsys.<subsys>.*},
 * {@code uidgid.config.uid.<uid>}. Errors are reported as Corosync reports them, with the file and
 * line, as a {@link ConfigException} of stage {@link ConfigStage#PARSE}.
 *
 * <p>A {@code uidgid} entry names a user or group by name or number and is stored by numeric id, names
 * looked up in the host's accounts as Corosync looks them up. A file read from disk brings the files of
 * the {@code uidgid.d} directory next to it with it, as Corosync's {@code /etc/corosync/uidgid.d}: each
 * holds only {@code uidgid} sections.
 */
public final class ConfigParser {

	/** Corosync reads lines into a 512-byte buffer; a line needs room for its newline and terminator. */
	static final int MAX_LINE_BYTES = 510;

	/** {@code ICMAP_KEYNAME_MAXLEN}; coroparse refuses a path whose length plus one reaches it. */
	static final int KEYNAME_MAXLEN = 255;

	/** The directory next to the configuration file whose files add {@code uidgid} sections. */
	public static final String UIDGID_DIRECTORY = "uidgid.d";

	/** {@code (uid_t) -1}, which names nobody: Corosync's lookup returns it as its error value. */
	private static final long NO_ID = 0xFFFF_FFFFL;

	private ConfigParser() {
	}

	/**
	 * Parses a file and the files of the {@code uidgid.d} directory next to it.
	 * @param file the {@code corosync.conf} to read
	 * @return its keys
	 * @throws ConfigException when the file cannot be read or is not valid {@code corosync.conf} syntax
	 */
	public static ConfigMap parse(Path file) {
		return parse(file, HostAccounts.system());
	}

	/**
	 * Parses a file and the files of the {@code uidgid.d} directory next to it.
	 * @param file the {@code corosync.conf} to read
	 * @param accounts where the user and group names of {@code uidgid} entries are looked up
	 * @return its keys
	 * @throws ConfigException when the file cannot be read or is not valid {@code corosync.conf} syntax
	 */
	public static ConfigMap parse(Path file, HostAccounts accounts) {
		byte[] content;
		try {
			content = Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new ConfigException(List.of(new ConfigProblem(ConfigStage.PARSE, ConfigOrigin.of(file.toString()), null,
					"Can't read file " + file + ": " + describe(ex),
					"check the path and its permissions, or name another file with -c or corosync.config-file")), ex);
		}
		ConfigMap.Builder map = ConfigMap.builder(file.toString());
		new Run(file.toString(), map, accounts, false).parse(content);
		Path parent = file.getParent();
		for (Path uidgidFile : uidgidFiles(((parent != null) ? parent : Path.of("")).resolve(UIDGID_DIRECTORY))) {
			byte[] uidgidContent;
			try {
				uidgidContent = Files.readAllBytes(uidgidFile);
			}
			catch (IOException ex) {
				// Corosync skips a file it cannot open
				continue;
			}
			new Run(uidgidFile.toString(), map, accounts, true).parse(uidgidContent);
		}
		return map.build();
	}

	/**
	 * Parses configuration text; {@code uidgid} names are looked up in this host's accounts.
	 * @param source the name used in error messages, normally the file name
	 * @param content the bytes of the file
	 * @return its keys
	 * @throws ConfigException when the text is not valid {@code corosync.conf} syntax
	 */
	public static ConfigMap parse(String source, byte[] content) {
		return parse(source, content, HostAccounts.system());
	}

	/**
	 * Parses configuration text.
	 * @param source the name used in error messages, normally the file name
	 * @param content the bytes of the file
	 * @param accounts where the user and group names of {@code uidgid} entries are looked up
	 * @return its keys
	 * @throws ConfigException when the text is not valid {@code corosync.conf} syntax
	 */
	public static ConfigMap parse(String source, byte[] content, HostAccounts accounts) {
		ConfigMap.Builder map = ConfigMap.builder(source);
		new Run(source, map, accounts, false).parse(content);
		return map.build();
	}

	/** The regular files of the directory, in name order; none when it cannot be listed, as Corosync. */
	private static List<Path> uidgidFiles(Path directory) {
		List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
			for (Path entry : entries) {
				if (Files.isRegularFile(entry)) {
					files.add(entry);
				}
			}
		}
		catch (IOException ex) {
			return List.of();
		}
		files.sort(null);
		return files;
	}

	/** Parses configuration text given as a string. */
	public static ConfigMap parse(String source, String content) {
		return parse(source, content.getBytes(StandardCharsets.UTF_8));
	}

	static String describe(IOException ex) {
		if (ex instanceof NoSuchFileException) {
			return "No such file or directory";
		}
		if (ex instanceof AccessDeniedException) {
			return "Permission denied";
		}
		return (ex.getMessage() != null) ? ex.getMessage() : ex.getClass().getSimpleName();
	}

	/** What a section means to the parser; nested unknown sections inherit their parent's kind. */
	private enum Kind {

		NORMAL, TOTEM, INTERFACE, MEMBER, LOGGER_SUBSYS, LOGGING_DAEMON, UIDGID, QUORUM, NODELIST, NODELIST_NODE

	}

	/** An item held back until its section closes, because its final key depends on a later item. */
	private record Pending(String key, String value, ConfigOrigin origin) {
	}

	private static final class Section {

		final String path;

		final Kind kind;

		/** Items of an interface, logger_subsys or logging_daemon section, in file order. */
		final Map<String, Pending> pending = new LinkedHashMap<>();

		/** {@code memberaddr} values of an interface's member sections. */
		final List<Pending> members = new ArrayList<>();

		Section(String path, Kind kind) {
			this.path = path;
			this.kind = kind;
		}

	}

	private static final class Run {

		private final String source;

		private final ConfigMap.Builder map;

		private final HostAccounts accounts;

		/** A file of {@code uidgid.d}, which may hold nothing but {@code uidgid} sections. */
		private final boolean uidgidOnly;

		private final Deque<Section> sections = new ArrayDeque<>();

		/** Position of the next {@code nodelist.node}; reset by every {@code nodelist} section, as in Corosync. */
		private int nodeNumber;

		private int lineNumber;

		Run(String source, ConfigMap.Builder map, HostAccounts accounts, boolean uidgidOnly) {
			this.source = source;
			this.map = map;
			this.accounts = accounts;
			this.uidgidOnly = uidgidOnly;
		}

		void parse(byte[] content) {
			this.sections.push(new Section("", Kind.NORMAL));
			int start = 0;
			while (start < content.length) {
				int end = start;
				while (end < content.length && content[end] != '\n') {
					end++;
				}
				this.lineNumber++;
				if (end - start > MAX_LINE_BYTES) {
					throw error("Line too long", "split the value or shorten it below " + MAX_LINE_BYTES + " bytes");
				}
				int length = end - start;
				if (length > 0 && content[end - 1] == '\r') {
					length--;
				}
				line(new String(content, start, length, StandardCharsets.UTF_8));
				start = end + 1;
			}
			if (this.sections.size() > 1) {
				throw error("Missing closing brace", "close section '" + this.sections.peek().path + "' with a '}' line");
			}
		}

		private void line(String raw) {
			// C string handling ends the line at a NUL byte.
			int nul = raw.indexOf('\0');
			String line = stripTrailing((nul >= 0) ? raw.substring(0, nul) : raw);
			String content = stripLeading(line);
			if (content.isEmpty() || content.charAt(0) == '#') {
				return;
			}
			int brace = line.indexOf('{');
			if (brace >= 0) {
				openSection(trimName(line.substring(0, brace)), trim(line.substring(brace + 1)));
				return;
			}
			int colon = line.indexOf(':');
			if (colon >= 0) {
				item(trimName(line.substring(0, colon)), trim(line.substring(colon + 1)));
				return;
			}
			if (line.indexOf('}') >= 0) {
				if (!content.equals("}")) {
					throw error("Extra characters before or after closing bracket '}'", "put the '}' on a line of its own");
				}
				closeSection();
				return;
			}
			throw error("Line is not opening or closing section or key value",
					"write items as 'key: value', sections as 'name {' and '}' on lines of their own");
		}

		private void openSection(String name, String after) {
			if (name.isEmpty()) {
				throw error("Missing section name before opening bracket '{'", "write 'name {'");
			}
			if (!after.isEmpty()) {
				throw error("Extra characters after opening bracket '{'",
						"put each item on its own line after 'name {', and the '}' on a line of its own");
			}
			Section parent = this.sections.peek();
			if (parent.path.length() + name.length() + 1 >= KEYNAME_MAXLEN) {
				throw error("Start of section makes total cmap path too long",
						"key names are shorter than " + KEYNAME_MAXLEN + " characters");
			}
			String path = parent.path.isEmpty() ? name : parent.path + "." + name;
			if (this.uidgidOnly && !path.equals("uidgid")) {
				throw error("uidgid: Can't add subsection different than uidgid",
						"a file in " + UIDGID_DIRECTORY + " holds only 'uidgid {' sections of 'uid:' and 'gid:' items");
			}
			Kind kind = switch (path) {
				case "totem" -> Kind.TOTEM;
				case "totem.interface" -> Kind.INTERFACE;
				case "totem.interface.member" -> Kind.MEMBER;
				case "logging.logger_subsys" -> Kind.LOGGER_SUBSYS;
				case "logging.logging_daemon" -> Kind.LOGGING_DAEMON;
				case "uidgid" -> Kind.UIDGID;
				case "quorum", "quorum.device" -> Kind.QUORUM;
				case "nodelist" -> Kind.NODELIST;
				case "nodelist.node" -> Kind.NODELIST_NODE;
				default -> parent.kind;
			};
			if (path.equals("nodelist")) {
				this.nodeNumber = 0;
			}
			this.sections.push(new Section(path, kind));
		}

		private void closeSection() {
			if (this.sections.size() == 1) {
				throw error("Unexpected closing brace", "remove the '}' or open its section before it");
			}
			Section section = this.sections.pop();
			switch (section.kind) {
				case INTERFACE -> {
					if (section.path.equals("totem.interface")) {
						closeInterface(section);
					}
				}
				case LOGGER_SUBSYS -> closeLoggerSubsys(section);
				case LOGGING_DAEMON -> closeLoggingDaemon(section);
				case NODELIST_NODE -> {
					if (section.path.equals("nodelist.node")) {
						this.nodeNumber++;
					}
				}
				default -> {
				}
			}
		}

		private void item(String key, String value) {
			Section section = this.sections.peek();
			if (key.isEmpty()) {
				throw error("Key name can't be empty", "write 'key: value'");
			}
			if (section.path.length() + key.length() + 1 >= KEYNAME_MAXLEN) {
				throw error("New key makes total cmap path too long",
						"key names are shorter than " + KEYNAME_MAXLEN + " characters");
			}
			String path = section.path.isEmpty() ? key : section.path + "." + key;
			ConfigOrigin origin = origin();
			if (this.uidgidOnly && section.kind != Kind.UIDGID) {
				throw error("uidgid: Only uid and gid are allowed items",
						"a file in " + UIDGID_DIRECTORY + " holds only 'uidgid {' sections of 'uid:' and 'gid:' items");
			}
			switch (section.kind) {
				case INTERFACE -> {
					if (key.equals("linknumber") || ConfigSchema.isKnown("totem.interface.0." + key)) {
						// Type-checked now, so the error names this line; stored when the link number is known.
						ValueType type = key.equals("linknumber") ? ValueType.UINT8
								: ConfigSchema.typeOf("totem.interface.0." + key);
						if (type.isInteger() && ConfigSchema.parseInteger(value, type) == null) {
							throw ConfigSchema.integerRangeError(path, type, value, origin);
						}
						section.pending.put(key, new Pending(key, value, origin));
					}
					else {
						store(path, value, origin);
					}
				}
				case MEMBER -> {
					if (!key.equals("memberaddr")) {
						throw error("Only memberaddr is allowed in member section", "write 'memberaddr: ADDRESS'");
					}
					Section enclosing = enclosingInterface();
					if (enclosing == null) {
						throw error("member section outside of totem.interface",
								"put member { memberaddr: ADDRESS } inside a totem { interface { } } section");
					}
					// Read newest first, as Corosync's list of members is.
					enclosing.members.add(0, new Pending(key, value, origin));
				}
				case LOGGER_SUBSYS, LOGGING_DAEMON -> {
					// Corosync keeps these items in a list it reads newest first, so for a repeated
					// item the first one written wins; subsys and name are plain variables: last wins.
					if (key.equals("subsys") || key.equals("name")) {
						section.pending.put(key, new Pending(key, value, origin));
					}
					else {
						section.pending.putIfAbsent(key, new Pending(key, value, origin));
					}
				}
				case UIDGID -> {
					if (!key.equals("uid") && !key.equals("gid")) {
						throw error("uidgid: Only uid and gid are allowed items", "write 'uid: USER' or 'gid: GROUP'");
					}
					store("uidgid.config." + key + "." + accountId(key.equals("uid"), value), "1", origin);
				}
				case NODELIST_NODE -> store("nodelist.node." + this.nodeNumber + "." + key, value, origin);
				default -> store(path, value, origin);
			}
		}

		/** {@code uid_determine}/{@code gid_determine}: a decimal number as it is, else a name looked up. */
		private long accountId(boolean user, String value) {
			String kind = user ? "user" : "group";
			if (value.matches("[+-]?[0-9]+")) {
				long id;
				try {
					id = Long.parseLong(value);
				}
				catch (NumberFormatException ex) {
					// beyond a long: strtol saturates and Corosync takes it for a name
					id = -1;
				}
				if (id == NO_ID) {
					throw error(value + " is not a valid " + (user ? "uid" : "gid"),
							"(uid_t) -1 names no " + kind + "; write the id of an existing " + kind);
				}
				if (id >= 0 && id < NO_ID) {
					return id;
				}
			}
			OptionalLong id;
			try {
				id = user ? this.accounts.userId(value) : this.accounts.groupId(value);
			}
			catch (IOException ex) {
				throw new ConfigException(List.of(new ConfigProblem(ConfigStage.PARSE, origin(), null,
						"Can't look up " + kind + " '" + value + "': " + describe(ex),
						"write the numeric " + (user ? "uid" : "gid") + " instead of the name")), ex);
			}
			if (id.isEmpty()) {
				throw error("The '" + value + "' " + kind + " is not found in " + (user ? "/etc/passwd" : "/etc/group")
						+ ", please read the documentation.",
						"create the " + kind + ", or name an existing one or its numeric " + (user ? "uid" : "gid"));
			}
			return id.getAsLong();
		}

		private @Nullable Section enclosingInterface() {
			for (Section section : this.sections) {
				if (section.path.equals("totem.interface")) {
					return section;
				}
			}
			return null;
		}

		private void closeInterface(Section section) {
			Pending linkItem = section.pending.get("linknumber");
			long link = (linkItem != null) ? ConfigSchema.parseInteger(linkItem.value(), ValueType.UINT8) : 0;
			String prefix = "totem.interface." + link + ".";
			for (Pending item : section.pending.values()) {
				if (!item.key().equals("linknumber")) {
					store(prefix + item.key(), item.value(), item.origin());
				}
			}
			int index = 0;
			for (Pending member : section.members) {
				store(prefix + "member." + index++, member.value(), member.origin());
			}
		}

		private void closeLoggerSubsys(Section section) {
			Pending subsys = section.pending.get("subsys");
			if (subsys == null) {
				throw error("No subsys key in logger_subsys directive", "add 'subsys: NAME' (for example TOTEM or CPG)");
			}
			String prefix = "logging.logger_subsys." + subsys.value() + ".";
			for (Pending item : section.pending.values()) {
				store(prefix + item.key(), item.value(), item.origin());
			}
		}

		private void closeLoggingDaemon(Section section) {
			Pending name = section.pending.get("name");
			if (name == null) {
				throw error("No name key in logging_daemon directive", "add 'name: corosync'");
			}
			Pending subsys = section.pending.get("subsys");
			boolean corosync = name.value().equals("corosync");
			String prefix;
			if (subsys == null) {
				prefix = corosync ? "logging." : "logging.logging_daemon." + name.value() + ".";
			}
			else {
				prefix = corosync ? "logging.logger_subsys." + subsys.value() + "."
						: "logging.logging_daemon." + name.value() + "." + subsys.value() + ".";
			}
			for (Pending item : section.pending.values()) {
				if (!item.key().equals("name") || !corosync) {
					store(prefix + item.key(), item.value(), item.origin());
				}
			}
		}

		private void store(String key, String value, ConfigOrigin origin) {
			if (!ConfigSchema.isValidKeyName(key)) {
				throw new ConfigException(new ConfigProblem(ConfigStage.PARSE, origin, key,
						"Can't store key \"" + key + "\" into icmap, returned error is Invalid key name",
						"key names are 3 to 254 letters, digits and . _ - / :"));
			}
			this.map.put(ConfigSchema.convert(key, value, origin));
		}

		private ConfigOrigin origin() {
			return ConfigOrigin.of(this.source, this.lineNumber);
		}

		private ConfigException error(String message, @Nullable String fix) {
			return new ConfigException(new ConfigProblem(ConfigStage.PARSE, origin(), null, message, fix));
		}

	}

	private static boolean isBlank(char c) {
		return c == ' ' || c == '\t' || c == '\u00a0';
	}

	private static String stripTrailing(String text) {
		int end = text.length();
		while (end > 0 && isBlank(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end);
	}

	private static String stripLeading(String text) {
		int start = 0;
		while (start < text.length() && isBlank(text.charAt(start))) {
			start++;
		}
		return text.substring(start);
	}

	private static String trim(String text) {
		return stripLeading(stripTrailing(text));
	}

	/** Trims a key or section name the way coroparse does: blanks, and any trailing ':' or '{'. */
	private static String trimName(String text) {
		String name = stripLeading(text);
		int end = name.length();
		while (end > 1 && (isBlank(name.charAt(end - 1)) || name.charAt(end - 1) == ':' || name.charAt(end - 1) == '{')) {
			end--;
		}
		return name.substring(0, end).isBlank() ? "" : name.substring(0, end);
	}

}
