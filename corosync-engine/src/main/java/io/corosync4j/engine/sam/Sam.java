package io.corosync4j.engine.sam;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import io.corosync4j.engine.service.cmap.Cmap;
import org.jspecify.annotations.Nullable;

/**
 * SAM inside this JVM: components registered here are supervised by interval, policy and flags, as
 * Corosync's SAM supervises forked processes. The quorum (for the QUORUM flag) and the CMAP (for the CMAP
 * flag) are the node's.
 */
public final class Sam implements AutoCloseable {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._/:-]{1,200}");

	private final SamClock clock;

	private final BooleanSupplier quorate;

	private final Supplier<@Nullable Cmap> cmap;

	private final Map<String, SamComponent> components = new ConcurrentHashMap<>();

	private final ExecutorService checks;

	/**
	 * @param clock timers and time
	 * @param quorate whether the partition is quorate now (call {@link #quorumChanged} when it changes)
	 * @param cmap where CMAP-flagged components publish their state, or {@code null}
	 */
	public Sam(SamClock clock, BooleanSupplier quorate, @Nullable Cmap cmap) {
		this(clock, quorate, () -> cmap);
	}

	/**
	 * @param clock timers and time
	 * @param quorate whether the partition is quorate now
	 * @param cmap the CMAP to publish in when there is one (a node that is not running has none)
	 */
	public Sam(SamClock clock, BooleanSupplier quorate, Supplier<@Nullable Cmap> cmap) {
		this(clock, quorate, cmap, Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "sam-check");
			thread.setDaemon(true);
			return thread;
		}));
	}

	/** As above, with the threads event-driven checks run on. */
	Sam(SamClock clock, BooleanSupplier quorate, Supplier<@Nullable Cmap> cmap, ExecutorService checks) {
		this.clock = clock;
		this.quorate = quorate;
		this.cmap = cmap;
		this.checks = checks;
	}

	/**
	 * Registers a component ({@code sam_register}); it is checked once {@link SamComponent#start()} is called.
	 * @throws IllegalArgumentException when a component of that name exists
	 */
	public SamComponent register(String name, SamOptions options, SamComponent.Recovery recovery) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException("SAM component name '" + name + "' must be 1 to 200 characters of "
					+ "A-Z a-z 0-9 . _ / : - (it becomes part of CMAP keys)");
		}
		SamComponent component = new SamComponent(name, options, recovery, this);
		if (this.components.putIfAbsent(name, component) != null) {
			throw new IllegalArgumentException("a SAM component named '" + name + "' is already registered");
		}
		return component;
	}

	public List<SamComponent> components() {
		return List.copyOf(this.components.values());
	}

	public @Nullable SamComponent component(String name) {
		return this.components.get(name);
	}

	/** Quorum changed: waiting QUORUM components start, running ones count a loss as a failure. */
	public void quorumChanged() {
		boolean now = quorate();
		for (SamComponent component : this.components.values()) {
			component.quorumChanged(now);
		}
	}

	@Override
	public void close() {
		for (SamComponent component : List.copyOf(this.components.values())) {
			component.close();
		}
		this.checks.shutdownNow();
	}

	boolean quorate() {
		return this.quorate.getAsBoolean();
	}

	SamClock clock() {
		return this.clock;
	}

	@Nullable Cmap cmap() {
		return this.cmap.get();
	}

	ExecutorService checkExecutor() {
		return this.checks;
	}

	void unregister(SamComponent component) {
		this.components.remove(component.name(), component);
		Cmap map = this.cmap.get();
		if (map != null) {
			for (String suffix : List.of("recovery", "poll_period", "last_updated", "state")) {
				map.remove(cmapPrefix(component.name()) + suffix);
			}
		}
	}

	static String cmapPrefix(String name) {
		return "resources.process." + name + ".";
	}

}
