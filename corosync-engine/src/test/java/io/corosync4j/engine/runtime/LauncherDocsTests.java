package io.corosync4j.engine.runtime;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.corosync4j.engine.config.ConfigTool;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.docs.MarkdownPage;
import io.corosync4j.engine.docs.Repository;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launcher commands in README.md and docs/ use only options the launcher has: every {@code -x} or
 * {@code --xx} after {@code corosync4j-launcher.jar} in a shell block appears in the usage that the
 * daemon, {@code check}, {@code keygen} or {@code cpgbench} prints.
 */
class LauncherDocsTests {

	private static final Pattern SHELL_OPERATOR = Pattern.compile("&&|\\|\\||[|;&#>]");

	@Test
	void launcherCommandsUseOnlyOptionsTheLauncherHas() throws Exception {
		Path root = Repository.root();
		List<String> problems = new ArrayList<>();
		int commands = 0;
		for (Path file : Repository.documentation()) {
			MarkdownPage page = MarkdownPage.read(file);
			for (MarkdownPage.CodeBlock block : page.blocks()) {
				if (!block.language().equals("shell")) {
					continue;
				}
				for (String command : String.join("\n", block.text()).replace("\\\n", " ").split("\n")) {
					int jar = command.indexOf("corosync4j-launcher.jar");
					if (jar < 0) {
						continue;
					}
					commands++;
					String arguments = SHELL_OPERATOR.split(command.substring(jar + "corosync4j-launcher.jar".length()), 2)[0];
					List<String> words = Arrays.stream(arguments.trim().split("\\s+")).filter((w) -> !w.isEmpty()).toList();
					String tool = (!words.isEmpty() && List.of("check", "keygen", "cpgbench").contains(words.get(0)))
							? words.get(0) : "";
					String usage = usage(tool);
					for (String word : words) {
						if (word.startsWith("-") && !Pattern.compile("(?<![\\w-])" + Pattern.quote(word) + "(?![\\w-])")
							.matcher(usage).find()) {
							problems.add(root.relativize(file) + ":" + block.line() + ": " + word + " is not an option of "
									+ (tool.isEmpty() ? "the launcher" : tool));
						}
					}
				}
			}
		}
		assertThat(commands).as("launcher commands in the documentation").isPositive();
		assertThat(problems).isEmpty();
	}

	/** What a tool prints when it is given an option it does not have: its usage. */
	private static String usage(String tool) throws Exception {
		ByteArrayOutputStream printed = new ByteArrayOutputStream();
		PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
		String unknown = "--no-such-option";
		switch (tool) {
			case "" -> new Launcher(out, out, Map.of()).run(new String[] { unknown });
			case "cpgbench" -> CpgBench.run(new String[] { unknown }, out);
			default -> ConfigTool.execute(new String[] { tool, unknown }, out, out, Map.of(), HostNetwork.system());
		}
		return printed.toString(StandardCharsets.UTF_8).replace(unknown, "");
	}

}
