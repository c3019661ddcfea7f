package io.corosync4j.engine.fuzz;

import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * Fuzzes every decoder, one target after the other, and prints per target the inputs run, rejected and
 * accepted, the distinct failures (with seed, input index and the input in hex) and the time.
 * <p>
 * {@code --inputs N} (default 10,000,000), {@code --seed S} (default: random, printed),
 * {@code --targets a,b} (default: all), {@code --list}, {@code --replay HEX} (one input through the
 * given targets, its exception printed whole). Exits with 1 when a target failed.
 */
public final class FuzzMain {

	private FuzzMain() {
	}

	public static void main(String[] args) throws Exception {
		// a fuzzed service logs what it drops; millions of such lines would only slow the run down
		System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "off");
		long inputs = 10_000_000;
		long seed = new SplittableRandom().nextLong();
		Set<String> names = null;
		String replay = null;
		boolean list = false;
		for (int i = 0; i < args.length; i++) {
			switch (args[i]) {
				case "--inputs" -> inputs = Long.parseLong(args[++i].replace("_", ""));
				case "--seed" -> seed = Long.parseLong(args[++i]);
				case "--targets" -> names = Set.of(args[++i].split(","));
				case "--replay" -> replay = args[++i];
				case "--list" -> list = true;
				default -> throw new IllegalArgumentException("unknown argument " + args[i]
						+ "; use --inputs N --seed S --targets a,b --replay HEX --list");
			}
		}
		List<FuzzTarget> targets = FuzzTargets.all();
		if (names != null) {
			Set<String> wanted = names;
			Set<String> unknown = wanted.stream()
				.filter((name) -> targets.stream().noneMatch((target) -> target.name().equals(name)))
				.collect(Collectors.toSet());
			if (!unknown.isEmpty()) {
				throw new IllegalArgumentException("unknown targets " + unknown);
			}
			targets.removeIf((target) -> !wanted.contains(target.name()));
		}
		if (list) {
			targets.forEach((target) -> System.out.println(target.name() + "\t" + target.description() + "\t"
					+ target.seeds().size() + " seeds"));
			return;
		}
		if (replay != null) {
			byte[] input = HexFormat.of().parseHex(replay);
			for (FuzzTarget target : targets) {
				System.out.println(target.name() + ": " + (target.decode(input) ? "accepted" : "rejected"));
			}
			return;
		}
		System.out.println("seed " + seed + ", " + inputs + " inputs per target, max heap "
				+ Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB, java " + Runtime.version());
		Fuzzer fuzzer = new Fuzzer(seed);
		boolean failed = false;
		for (FuzzTarget target : targets) {
			Fuzzer.Report report = fuzzer.run(target, inputs);
			System.out.println(report.details());
			failed |= !report.failures().isEmpty();
		}
		System.out.println(failed ? "FAILURES FOUND" : "no failures");
		System.exit(failed ? 1 : 0);
	}

}
