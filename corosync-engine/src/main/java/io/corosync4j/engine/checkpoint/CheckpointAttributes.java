package io.corosync4j.engine.checkpoint;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How a checkpoint is created: its update mode and limits, fixed for its life. Opening an existing
 * checkpoint with attributes that differ fails with {@link CheckpointError#EXISTS}, as in AIS, so two
 * processes that disagree on what a checkpoint is find out at once instead of at a limit.
 *
 * @param updateMode when writes complete
 * @param maxSize the most bytes of section data the checkpoint holds, over all its sections
 * @param maxSections the most sections; with 1, the checkpoint has only its default section (empty id),
 * created with it
 * @param maxSectionSize the most bytes one section holds
 * @param maxSectionIdSize the longest section id, in bytes
 * @param retention how long the checkpoint is kept once nobody has it open (in millisecond steps; beyond
 * a century it is kept until unlinked)
 */
public record CheckpointAttributes(UpdateMode updateMode, long maxSize, int maxSections, int maxSectionSize,
		int maxSectionIdSize, Duration retention) {

	/** The longest retention a timer is armed for; longer ones keep the checkpoint until it is unlinked. */
	static final long FOREVER_MILLIS = 100L * 365 * 24 * 3600 * 1000;

	public CheckpointAttributes {
		Objects.requireNonNull(updateMode, "updateMode");
		Objects.requireNonNull(retention, "retention");
		// the replicas compare attributes after a round trip in milliseconds
		retention = (retention.compareTo(Duration.ofMillis(Long.MAX_VALUE)) > 0) ? Duration.ofMillis(Long.MAX_VALUE)
				: retention.truncatedTo(ChronoUnit.MILLIS);
	}

	/**
	 * Attributes with modest defaults to adjust with the {@code with…} methods: 1 MiB in at most 64
	 * sections of at most 256 KiB, ids of up to 64 bytes, kept one minute after the last close.
	 */
	public static CheckpointAttributes of(UpdateMode updateMode) {
		return new CheckpointAttributes(updateMode, 1024 * 1024, 64, 256 * 1024, 64, Duration.ofMinutes(1));
	}

	public CheckpointAttributes withMaxSize(long bytes) {
		return new CheckpointAttributes(this.updateMode, bytes, this.maxSections, this.maxSectionSize,
				this.maxSectionIdSize, this.retention);
	}

	public CheckpointAttributes withMaxSections(int sections) {
		return new CheckpointAttributes(this.updateMode, this.maxSize, sections, this.maxSectionSize,
				this.maxSectionIdSize, this.retention);
	}

	public CheckpointAttributes withMaxSectionSize(int bytes) {
		return new CheckpointAttributes(this.updateMode, this.maxSize, this.maxSections, bytes, this.maxSectionIdSize,
				this.retention);
	}

	public CheckpointAttributes withMaxSectionIdSize(int bytes) {
		return new CheckpointAttributes(this.updateMode, this.maxSize, this.maxSections, this.maxSectionSize, bytes,
				this.retention);
	}

	public CheckpointAttributes withRetention(Duration retention) {
		return new CheckpointAttributes(this.updateMode, this.maxSize, this.maxSections, this.maxSectionSize,
				this.maxSectionIdSize, retention);
	}

	/** The retention in milliseconds. */
	long retentionMillis() {
		return this.retention.toMillis();
	}

	/** What is wrong with these attributes, or {@code null}; checked before sending and again where applied. */
	@Nullable String problem() {
		if (this.maxSize < 0 || this.maxSize > CheckpointService.MAX_TOTAL_BYTES) {
			return "maxSize " + this.maxSize + " is not within 0.." + CheckpointService.MAX_TOTAL_BYTES;
		}
		if (this.maxSections < 1 || this.maxSections > CheckpointService.MAX_SECTIONS) {
			return "maxSections " + this.maxSections + " is not within 1.." + CheckpointService.MAX_SECTIONS;
		}
		if (this.maxSectionSize < 0 || this.maxSectionSize > CheckpointService.MAX_TOTAL_BYTES) {
			return "maxSectionSize " + this.maxSectionSize + " is not within 0.." + CheckpointService.MAX_TOTAL_BYTES;
		}
		if (this.maxSectionIdSize < 0 || this.maxSectionIdSize > CheckpointService.MAX_SECTION_ID_BYTES) {
			return "maxSectionIdSize " + this.maxSectionIdSize + " is not within 0.."
					+ CheckpointService.MAX_SECTION_ID_BYTES;
		}
		if (this.maxSections > 1 && this.maxSectionIdSize < 1) {
			return "maxSectionIdSize must be at least 1 when there can be more than the default section";
		}
		if (this.retention.isNegative()) {
			return "retention " + this.retention + " is negative";
		}
		return null;
	}

}
