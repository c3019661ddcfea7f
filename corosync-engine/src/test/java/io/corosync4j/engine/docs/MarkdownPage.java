package io.corosync4j.engine.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * What the documentation tests need of one markdown page: its fenced code blocks with the marker comment
 * before each, its relative links, and the anchors GitHub gives its headings.
 */
public final class MarkdownPage {

	private static final Pattern FENCE = Pattern.compile("^(\\s*)(```+)\\s*(\\S*)\\s*$");

	private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*(snippet|untested|checked):\\s*(.*?)\\s*-->\\s*$");

	private static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");

	private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

	/** GitHub keeps letters, marks, digits, connector punctuation (the underscore), spaces and hyphens. */
	private static final Pattern NOT_IN_SLUG = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]",
			Pattern.UNICODE_CHARACTER_CLASS);

	/**
	 * A fenced code block.
	 *
	 * @param line the line of its opening fence, from 1
	 * @param language what follows the opening fence, or empty
	 * @param text its lines without the fence's own indentation
	 * @param marker the marker comment on the last non-blank line before it, or {@code null}
	 */
	public record CodeBlock(int line, String language, List<String> text, @Nullable Marker marker) {
	}

	/**
	 * {@code <!-- kind: value -->} before a code block.
	 *
	 * @param kind {@code snippet} (the block is a tagged region of a file), {@code untested} (exempt, for
	 * the reason given) or {@code checked} (a documentation test reads the block itself)
	 * @param value the file and tag, the reason, or what is checked
	 */
	public record Marker(String kind, String value) {
	}

	/**
	 * A link outside code.
	 *
	 * @param line its line, from 1
	 * @param target what it points at
	 */
	public record Link(int line, String target) {
	}

	private final Path file;

	private final List<CodeBlock> blocks = new ArrayList<>();

	private final List<Link> links = new ArrayList<>();

	private final Set<String> anchors = new LinkedHashSet<>();

	private MarkdownPage(Path file, List<String> lines) {
		this.file = file;
		Map<String, Integer> headingCounts = new HashMap<>();
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			Matcher fence = FENCE.matcher(line);
			if (fence.matches()) {
				i = readBlock(lines, i, fence);
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String slug = slug(heading.group(1));
				int seen = headingCounts.merge(slug, 1, Integer::sum);
				this.anchors.add((seen == 1) ? slug : slug + "-" + (seen - 1));
			}
			Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
			while (link.find()) {
				this.links.add(new Link(i + 1, link.group(2)));
			}
		}
	}

	public static MarkdownPage read(Path file) {
		try {
			return new MarkdownPage(file, Files.readAllLines(file));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces turned into hyphens. */
	static String slug(String heading) {
		String text = LINK.matcher(heading).replaceAll("$1");
		return NOT_IN_SLUG.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
	}

	public Path file() {
		return this.file;
	}

	public List<CodeBlock> blocks() {
		return this.blocks;
	}

	public List<Link> links() {
		return this.links;
	}

	/** The anchors of its headings, duplicates numbered as GitHub numbers them ({@code -1}, {@code -2}). */
	public Set<String> anchors() {
		return this.anchors;
	}

	/** Reads the block that opens at {@code start} and returns the line of its closing fence. */
	private int readBlock(List<String> lines, int start, Matcher opening) {
		String indent = opening.group(1);
		String fence = opening.group(2);
		List<String> text = new ArrayList<>();
		int end = start + 1;
		while (end < lines.size() && !lines.get(end).strip().equals(fence)) {
			String line = lines.get(end);
			text.add(line.startsWith(indent) ? line.substring(indent.length()) : line.stripLeading());
			end++;
		}
		if (end == lines.size()) {
			throw new IllegalStateException(this.file + ":" + (start + 1) + ": the code block is not closed");
		}
		this.blocks.add(new CodeBlock(start + 1, opening.group(3), text, markerBefore(lines, start)));
		return end;
	}

	private static @Nullable Marker markerBefore(List<String> lines, int block) {
		int i = block - 1;
		while (i >= 0 && lines.get(i).isBlank()) {
			i--;
		}
		if (i < 0) {
			return null;
		}
		Matcher marker = MARKER.matcher(lines.get(i));
		return marker.matches() ? new Marker(marker.group(1), marker.group(2)) : null;
	}

}
