package io.corosync4j.engine.docs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import io.corosync4j.engine.config.ConfigException;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.docs.MarkdownPage.CodeBlock;
import io.corosync4j.engine.docs.MarkdownPage.Link;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * README.md and the pages of docs/ cannot rot: every relative link reaches a file and heading that
 * exist, every code block is a tagged region of a file that a test compiles and runs (or is explicitly
 * exempt, with a reason), the dependency snippets name the starter as its pom does, and the example
 * configurations are valid.
 *
 * <p>A code block is preceded by one of
 * <ul>
 * <li>{@code <!-- snippet: path/from/the/top#tag -->}: the block is the region between
 * {@code tag::tag[]} and {@code end::tag[]} comments in that file (every such region, in order; the whole
 * file without {@code #tag}), compared with leading tabs as four spaces and common indentation removed;</li>
 * <li>{@code <!-- checked: dependency -->}: an XML {@code <dependency>} this class compares with the
 * poms;</li>
 * <li>{@code <!-- untested: reason -->}: commands and output nobody can run in a unit test.</li>
 * </ul>
 * Java, YAML, properties and {@code corosync.conf} blocks must be snippets.
 */
class DocsTests {

	/** Languages whose blocks must come from a file a test uses. */
	private static final Set<String> SNIPPET_ONLY = Set.of("java", "yaml", "properties", "conf");

	private static final Pattern TAG_LINE = Pattern.compile("\\b(?:tag|end)::[\\w-]+\\[\\]");

	private static final Pattern LEADING_TABS = Pattern.compile("^\\t+");

	private final Path root = Repository.root();

	/** Pages read once for the anchors of the links into them. */
	private final Map<Path, MarkdownPage> targets = new HashMap<>();

	@Test
	void everyRelativeLinkReachesAFileAndHeadingThatExist() {
		List<String> broken = new ArrayList<>();
		for (MarkdownPage page : pages()) {
			for (Link link : page.links()) {
				String problem = check(page, link.target());
				if (problem != null) {
					broken.add(where(page, link.line()) + ": (" + link.target() + ") " + problem);
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void everyCodeBlockHasALanguageAndIsTestedOrExemptWithAReason() {
		List<String> problems = new ArrayList<>();
		for (MarkdownPage page : pages()) {
			for (CodeBlock block : page.blocks()) {
				String at = where(page, block.line());
				if (block.language().isEmpty()) {
					problems.add(at + ": no language after the opening fence");
				}
				if (block.marker() == null) {
					problems.add(at + ": no <!-- snippet: file#tag -->, <!-- checked: ... --> or "
							+ "<!-- untested: reason --> before the block");
					continue;
				}
				String kind = block.marker().kind();
				String value = block.marker().value();
				if (SNIPPET_ONLY.contains(block.language()) && !kind.equals("snippet")) {
					problems.add(at + ": a " + block.language() + " block must be a snippet of a file a test uses");
				}
				if (kind.equals("checked") && !(value.equals("dependency") && block.language().equals("xml"))) {
					problems.add(at + ": only xml blocks can be 'checked: dependency', not '" + value + "'");
				}
				if (kind.equals("untested") && value.isBlank()) {
					problems.add(at + ": say why the block is untested");
				}
			}
		}
		assertThat(problems).as("code blocks").isEmpty();
	}

	@Test
	void everySnippetIsTheTaggedRegionOfItsFile() {
		List<String> problems = new ArrayList<>();
		for (MarkdownPage page : pages()) {
			for (CodeBlock block : page.blocks()) {
				if (block.marker() == null || !block.marker().kind().equals("snippet")) {
					continue;
				}
				String at = where(page, block.line());
				String[] source = block.marker().value().split("#", 2);
				Path file = this.root.resolve(source[0]);
				if (!Files.isRegularFile(file)) {
					problems.add(at + ": no file " + source[0]);
					continue;
				}
				List<String> region = (source.length == 1) ? lines(file) : region(lines(file), source[1]);
				if (region.isEmpty()) {
					problems.add(at + ": no region tagged '" + source[1] + "' in " + source[0]);
				}
				else if (!normalized(region).equals(normalized(block.text()))) {
					problems.add(at + ": differs from " + block.marker().value() + "; the file has\n"
							+ String.join("\n", normalized(region)));
				}
			}
		}
		assertThat(problems).as("snippets").isEmpty();
	}

	@Test
	void dependencySnippetsNameTheStarterAsItsPomDoes() throws Exception {
		Element parent = pom(this.root.resolve("pom.xml"));
		List<String> problems = new ArrayList<>();
		int checked = 0;
		for (MarkdownPage page : pages()) {
			for (CodeBlock block : page.blocks()) {
				if (block.marker() == null || !block.marker().kind().equals("checked")) {
					continue;
				}
				checked++;
				Element dependency = DocumentBuilderFactory.newInstance().newDocumentBuilder()
					.parse(new ByteArrayInputStream(String.join("\n", block.text()).getBytes(StandardCharsets.UTF_8)))
					.getDocumentElement();
				String artifactId = child(dependency, "artifactId");
				Path module = this.root.resolve(artifactId).resolve("pom.xml");
				if (!Files.isRegularFile(module) || !child(pom(module), "artifactId").equals(artifactId)) {
					problems.add(where(page, block.line()) + ": no module " + artifactId);
				}
				if (!child(dependency, "groupId").equals(child(parent, "groupId"))
						|| !child(dependency, "version").equals(child(parent, "version"))) {
					problems.add(where(page, block.line()) + ": not " + child(parent, "groupId") + ":" + artifactId
							+ ":" + child(parent, "version"));
				}
			}
		}
		assertThat(checked).as("dependency snippets").isPositive();
		assertThat(problems).isEmpty();
	}

	@Test
	void theExampleConfigurationsAreValid() throws IOException {
		List<String> problems = new ArrayList<>();
		try (Stream<Path> files = Files.list(this.root.resolve("examples"))) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".conf")).sorted().toList()) {
				try {
					new CorosyncConfigReader(Map.of()).read(file);
				}
				catch (ConfigException ex) {
					problems.add(this.root.relativize(file) + ": " + ex.problems());
				}
			}
		}
		assertThat(problems).isEmpty();
	}

	private static List<MarkdownPage> pages() {
		return Repository.documentation().stream().map(MarkdownPage::read).toList();
	}

	/** What is wrong with a link of {@code page}, or {@code null}; web addresses are not fetched. */
	private @Nullable String check(MarkdownPage page, String target) {
		if (target.matches("^[a-z]+:.*")) {
			return null;
		}
		int hash = target.indexOf('#');
		String path = (hash < 0) ? target : target.substring(0, hash);
		Path file = path.isEmpty() ? page.file() : page.file().getParent().resolve(path).normalize();
		if (!file.startsWith(this.root) || !Files.exists(file)) {
			return "no such file";
		}
		if (hash < 0) {
			return null;
		}
		if (!file.toString().endsWith(".md")) {
			return "an anchor into a file that is not markdown";
		}
		String anchor = target.substring(hash + 1);
		return this.targets.computeIfAbsent(file, MarkdownPage::read).anchors().contains(anchor) ? null
				: "no heading with anchor #" + anchor;
	}

	private String where(MarkdownPage page, int line) {
		return this.root.relativize(page.file()) + ":" + line;
	}

	/** Every region between {@code tag::name[]} and {@code end::name[]}, in order, without tag lines. */
	static List<String> region(List<String> lines, String name) {
		List<String> region = new ArrayList<>();
		boolean inside = false;
		for (String line : lines) {
			if (line.contains("tag::" + name + "[]")) {
				inside = true;
			}
			else if (line.contains("end::" + name + "[]")) {
				inside = false;
			}
			else if (inside && !TAG_LINE.matcher(line).find()) {
				region.add(line);
			}
		}
		return region;
	}

	/** Leading tabs as four spaces, trailing blanks and the common indentation removed, no blank edges. */
	static List<String> normalized(List<String> lines) {
		List<String> expanded = new ArrayList<>();
		for (String line : lines) {
			Matcher tabs = LEADING_TABS.matcher(line);
			String spaced = tabs.find() ? "    ".repeat(tabs.end()) + line.substring(tabs.end()) : line;
			expanded.add(spaced.stripTrailing());
		}
		int indent = expanded.stream().filter((line) -> !line.isEmpty())
			.mapToInt((line) -> line.length() - line.stripLeading().length()).min().orElse(0);
		List<String> result = new ArrayList<>();
		for (String line : expanded) {
			result.add(line.isEmpty() ? line : line.substring(indent));
		}
		while (!result.isEmpty() && result.get(0).isEmpty()) {
			result.remove(0);
		}
		while (!result.isEmpty() && result.get(result.size() - 1).isEmpty()) {
			result.remove(result.size() - 1);
		}
		return result;
	}

	private static List<String> lines(Path file) {
		try {
			return Files.readAllLines(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Element pom(Path file) throws Exception {
		return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
	}

	/** The text of an element's direct child, or empty. */
	private static String child(Element element, String name) {
		for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element child && child.getTagName().equals(name)) {
				return child.getTextContent().strip();
			}
		}
		return "";
	}

}
