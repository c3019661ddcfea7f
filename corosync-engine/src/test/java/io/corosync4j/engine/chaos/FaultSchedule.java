package io.corosync4j.engine.chaos;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A seeded list of faults for a ring of {@code nodes} nodes: the same seed, node count, duration, token
 * timeout and transport give the same list. Faults follow one another with a gap in between; some run
 * over a background of random loss.
 */
public final class FaultSchedule {

	/** What a fault does. */
	public enum Kind {

		/** SIGKILL of the node's processes, restarted after {@code duration}. */
		KILL,

		/** SIGSTOP for less than the token timeout, then SIGCONT. */
		PAUSE_SHORT,

		/** SIGSTOP for longer than the token timeout, then SIGCONT. */
		PAUSE_LONG,

		/** {@code nodes} and the others do not hear each other. */
		PARTITION,

		/** The others do not hear {@code nodes}; {@code nodes} still hear them. */
		ONE_WAY,

		/** {@code nodes} lose {@code percent} % of what they receive. */
		LOSS,

		/** {@code nodes} lose {@code percent} % of the Totem tokens they receive (udpu: the type byte is visible). */
		TOKEN_LOSS,

		/**
		 * Every node loses {@code percent} % of the join messages it receives while {@code nodes} are paused
		 * longer than the token timeout, so the membership protocol runs under join loss (udpu).
		 */
		JOIN_LOSS

	}

	/**
	 * One fault.
	 *
	 * @param at when it starts, in milliseconds from the start of the chaos period
	 * @param kind what it does
	 * @param nodes the nodes it hits
	 * @param duration how long it lasts, in milliseconds
	 * @param percent the loss, for the loss kinds
	 * @param backgroundLoss random loss on every node meanwhile, in percent (0 for none)
	 */
	public record Fault(long at, Kind kind, List<Integer> nodes, long duration, int percent, int backgroundLoss) {

		@Override
		public String toString() {
			return String.format("+%6.1fs %-11s nodes %s for %.1fs%s%s", this.at / 1000.0, this.kind, this.nodes,
					this.duration / 1000.0, (this.percent > 0) ? " " + this.percent + "%" : "",
					(this.backgroundLoss > 0) ? " over " + this.backgroundLoss + "% loss everywhere" : "");
		}

	}

	public final long seed;

	public final List<Fault> faults;

	/**
	 * @param seed the seed
	 * @param nodes how many nodes (1..nodes)
	 * @param durationMillis the chaos period: no fault starts later or lasts beyond it
	 * @param tokenTimeoutMillis the effective token timeout (pauses are set around it)
	 * @param typeVisible whether Totem's message type can be matched in the UDP payload (udpu, not knet)
	 */
	public FaultSchedule(long seed, int nodes, long durationMillis, long tokenTimeoutMillis, boolean typeVisible) {
		this.seed = seed;
		SplittableRandom random = new SplittableRandom(seed);
		Map<Kind, Integer> weights = new EnumMap<>(Kind.class);
		weights.put(Kind.KILL, 16);
		weights.put(Kind.PAUSE_SHORT, 14);
		weights.put(Kind.PAUSE_LONG, 14);
		weights.put(Kind.PARTITION, 14);
		weights.put(Kind.ONE_WAY, 10);
		weights.put(Kind.LOSS, 14);
		if (typeVisible) {
			weights.put(Kind.TOKEN_LOSS, 10);
			weights.put(Kind.JOIN_LOSS, 8);
		}
		int total = weights.values().stream().mapToInt(Integer::intValue).sum();
		List<Fault> list = new ArrayList<>();
		long at = 1000 + random.nextLong(2000);
		while (true) {
			int pick = random.nextInt(total);
			Kind kind = null;
			for (Map.Entry<Kind, Integer> weight : weights.entrySet()) {
				pick -= weight.getValue();
				if (pick < 0) {
					kind = weight.getKey();
					break;
				}
			}
			long duration;
			int percent = 0;
			List<Integer> hit;
			switch (kind) {
				case KILL -> {
					hit = pick(random, nodes, 1 + ((random.nextInt(4) == 0) ? 1 : 0));
					duration = 500 + random.nextLong(3500);
				}
				case PAUSE_SHORT -> {
					hit = pick(random, nodes, 1);
					duration = tokenTimeoutMillis * (25 + random.nextInt(50)) / 100;
				}
				case PAUSE_LONG -> {
					hit = pick(random, nodes, 1 + ((random.nextInt(4) == 0) ? 1 : 0));
					duration = tokenTimeoutMillis * (130 + random.nextInt(220)) / 100;
				}
				case PARTITION, ONE_WAY -> {
					hit = pick(random, nodes, 1 + random.nextInt(2));
					duration = 2000 + random.nextLong(6000);
				}
				case LOSS -> {
					hit = (random.nextBoolean()) ? pick(random, nodes, nodes) : pick(random, nodes, 1 + random.nextInt(2));
					percent = 5 + random.nextInt(26);
					duration = 3000 + random.nextLong(7000);
				}
				case TOKEN_LOSS -> {
					hit = pick(random, nodes, 1 + random.nextInt(2));
					percent = (random.nextBoolean()) ? 100 : 20 + random.nextInt(61);
					duration = 2000 + random.nextLong(5000);
				}
				case JOIN_LOSS -> {
					hit = pick(random, nodes, 1);
					percent = 30 + random.nextInt(71);
					duration = Math.max(tokenTimeoutMillis * 2, 2000) + random.nextLong(3000);
				}
				default -> throw new IllegalStateException();
			}
			int background = (kind != Kind.LOSS && random.nextInt(4) == 0) ? 3 + random.nextInt(8) : 0;
			if (at + duration > durationMillis) {
				break;
			}
			list.add(new Fault(at, kind, hit, duration, percent, background));
			at += duration + 1000 + random.nextLong(3000);
		}
		this.faults = List.copyOf(list);
	}

	private static List<Integer> pick(SplittableRandom random, int nodes, int count) {
		TreeSet<Integer> chosen = new TreeSet<>();
		while (chosen.size() < Math.min(count, nodes)) {
			chosen.add(1 + random.nextInt(nodes));
		}
		return List.copyOf(chosen);
	}

	public Map<Kind, Long> countByKind() {
		Map<Kind, Long> counts = new EnumMap<>(Kind.class);
		for (Fault fault : this.faults) {
			counts.merge(fault.kind(), 1L, Long::sum);
		}
		return counts;
	}

	@Override
	public String toString() {
		return "seed " + this.seed + ":\n" + this.faults.stream().map(Fault::toString).collect(Collectors.joining("\n"));
	}

}
