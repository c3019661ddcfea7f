package io.corosync4j.spring.health;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/** {@code corosync}: {@code ring}, {@code quorum}, and one child per SAM component (as registered now). */
public class CorosyncHealthContributor implements CompositeHealthContributor {

	private final CorosyncRingHealthIndicator ring;

	private final CorosyncQuorumHealthIndicator quorum;

	private final @Nullable Sam sam;

	public CorosyncHealthContributor(CorosyncNodeLifecycle lifecycle, @Nullable Sam sam) {
		this.ring = new CorosyncRingHealthIndicator(lifecycle);
		this.quorum = new CorosyncQuorumHealthIndicator(lifecycle);
		this.sam = sam;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return switch (name) {
			case "ring" -> this.ring;
			case "quorum" -> this.quorum;
			default -> {
				SamComponent component = (this.sam != null) ? this.sam.component(name) : null;
				yield (component != null) ? new SamComponentHealthIndicator(component) : null;
			}
		};
	}

	@Override
	public Stream<Entry> stream() {
		List<Entry> entries = new ArrayList<>(List.of(new Entry("ring", this.ring), new Entry("quorum", this.quorum)));
		if (this.sam != null) {
			for (SamComponent component : this.sam.components()) {
				entries.add(new Entry(component.name(), new SamComponentHealthIndicator(component)));
			}
		}
		return entries.stream();
	}

}
