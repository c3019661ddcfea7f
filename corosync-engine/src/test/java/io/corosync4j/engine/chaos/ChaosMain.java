package io.corosync4j.engine.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Chaos runs of any length, one ring after the other, with a table of the results at the end:
 *
 * <pre>
 * ChaosMain [--rings corosync4j-udpu,corosync4j-knet,mixed-udpu,mixed-knet,corosync-udpu,corosync-knet]
 *           [--minutes 60] [--seed 42] [--rate 200] [--max-size 33000] [--token 1000] [--dir target/chaos]
 *           [--wait-sync]
 * </pre>
 *
 * Every ring gets the same seed, so the same fault schedule (knet rings leave out the token- and
 * join-only loss, which need the Totem header in clear). {@code ChaosLongRunTests} runs it from Maven.
 */
public final class ChaosMain {

	/** What the runs showed, and whether each ring met its bar. */
	public record Outcome(List<ChaosRing.Result> results, List<String> failures) {
	}

	private ChaosMain() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new java.util.HashMap<>();
		for (int i = 0; i < args.length; i++) {
			if (args[i].equals("--wait-sync")) {
				options.put("wait-sync", "true");
			}
			else if (args[i].startsWith("--") && i + 1 < args.length) {
				options.put(args[i].substring(2), args[++i]);
			}
			else {
				System.err.println("unknown argument " + args[i] + "; see the class comment or docs/chaos.md");
				System.exit(2);
			}
		}
		Outcome outcome = run(options, System.out);
		System.exit(outcome.failures().isEmpty() ? 0 : 1);
	}

	/** Runs the rings {@code options} name (keys as the command line's, without dashes). */
	public static Outcome run(Map<String, String> options, PrintStream out) throws Exception {
		List<String> rings = List.of(options.getOrDefault("rings",
				"corosync4j-udpu,corosync4j-knet,mixed-udpu,mixed-knet,corosync-udpu,corosync-knet").split(","));
		List<ChaosRing.Result> results = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		for (String ring : rings) {
			ChaosRing.Settings settings = ChaosRing.Settings.of(ring.trim());
			settings.seed = Long.parseLong(options.getOrDefault("seed", "42"));
			settings.chaos = Duration.ofSeconds((long) (Double.parseDouble(options.getOrDefault("minutes", "60")) * 60));
			settings.rate = Double.parseDouble(options.getOrDefault("rate", "200"));
			settings.maxSize = Integer.parseInt(options.getOrDefault("max-size", "33000"));
			settings.token = Integer.parseInt(options.getOrDefault("token", "1000"));
			settings.directory = Path.of(options.getOrDefault("dir", "target/chaos"));
			settings.waitSync = options.containsKey("wait-sync");
			List<String> missing = ChaosRing.missingTools(settings);
			if (!missing.isEmpty()) {
				failures.add(ring + ": cannot run, needs " + missing);
				out.println(ring + ": cannot run, needs " + missing);
				continue;
			}
			out.println("chaos " + ring + " seed " + settings.seed + ": " + settings.chaos.toMinutes() + " min of faults ...");
			try (ChaosRing chaos = new ChaosRing(settings)) {
				ChaosRing.Result result;
				try {
					result = chaos.run();
				}
				catch (Exception ex) {
					// the next ring still runs; this one's files stay for a look
					failures.add(ring + ": the run failed: " + ex);
					out.println(ring + ": the run failed (files in " + chaos.directory + "):");
					ex.printStackTrace(out);
					continue;
				}
				results.add(result);
				out.println(result.summary());
				result.report().violations().stream().limit(10).forEach((v) -> out.println("  " + abbreviate(v.toString())));
				String failure = bar(result);
				if (failure != null) {
					failures.add(ring + ": " + failure);
				}
			}
		}
		out.println();
		out.println(table(results));
		failures.forEach((f) -> out.println("FAILED " + f));
		return new Outcome(results, failures);
	}

	/**
	 * What a ring must show: every ring re-forms; a corosync4j ring keeps every rule; in a mixed ring no
	 * violation has a corosync4j process among those that differ, but for the cut messages of Corosync
	 * senders (which Corosync's own rule loses for the members that missed a chain's start, whatever their
	 * implementation), and no corosync4j sender's message is among those members delivered differently
	 * unless only Corosync daemons differ (they do so among themselves with Corosync senders too); a
	 * Corosync ring is the baseline and only has to re-form.
	 */
	static @Nullable String bar(ChaosRing.Result result) {
		if (!result.formed()) {
			return "the ring did not re-form with every node";
		}
		ChaosChecker.Report report = result.report();
		return switch (result.settings().ring) {
			case COROSYNC4J -> report.violations().isEmpty() ? null : report.violations().size() + " violations";
			case MIXED -> {
				long differs = report.violations().stream()
					.filter((v) -> v.differingImpls().contains("corosync4j"))
					.filter((v) -> !(v.kind() == ChaosChecker.Kind.SYNCHRONY && v.senderImpls().equals(Set.of("corosync"))))
					.count();
				long ours = report.violations().stream()
					.filter((v) -> v.kind() == ChaosChecker.Kind.SYNCHRONY && v.senderImpls().contains("corosync4j"))
					.filter((v) -> !v.differingImpls().equals(Set.of("corosync")))
					.count();
				yield (differs == 0 && ours == 0) ? null : differs + " violations in which a corosync4j process differs, "
						+ ours + " SYNCHRONY violations with a corosync4j sender's messages in which not only Corosync daemons differ";
			}
			case COROSYNC -> null;
		};
	}

	/** The results as a Markdown table. */
	public static String table(List<ChaosRing.Result> results) {
		StringBuilder text = new StringBuilder(
				"| ring | transport | seed | faults | messages sent | deliveries | configuration changes | violations | corosync4j differs (alone) | Corosync differs (alone) | corosync4j against agreeing Corosync | with a corosync4j sender's messages | with a Corosync sender's |\n"
						+ "|---|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|\n");
		for (ChaosRing.Result result : results) {
			ChaosChecker.Report report = result.report();
			text.append(String.format(Locale.ROOT, "| %s | %s | %d | %d %s | %,d | %,d | %,d | %d %s | %d (%d) | %d (%d) | %d | %d | %d |%n",
					result.settings().ring.name().toLowerCase(Locale.ROOT), result.settings().transport,
					result.settings().seed, result.injected().values().stream().mapToInt(Integer::intValue).sum(),
					result.injected(), result.sent(), report.deliveries(), report.changes(), report.violations().size(),
					report.byKind(), report.differingIn("corosync4j"), report.differingOnlyIn("corosync4j"),
					report.differingIn("corosync"), report.differingOnlyIn("corosync"), report.againstCorosync(),
					report.messagesOf("corosync4j"), report.messagesOf("corosync")));
		}
		return text.toString();
	}

	private static String abbreviate(String text) {
		return (text.length() <= 600) ? text : text.substring(0, 600) + " ...";
	}

}
