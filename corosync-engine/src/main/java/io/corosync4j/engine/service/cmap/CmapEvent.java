package io.corosync4j.engine.service.cmap;

import io.corosync4j.engine.config.ConfigEntry;
import org.jspecify.annotations.Nullable;

/**
 * One change of a tracked key.
 *
 * @param type what happened
 * @param key the key
 * @param newValue the value after the change ({@code null} when deleted)
 * @param oldValue the value before ({@code null} when added)
 */
public record CmapEvent(Type type, String key, @Nullable ConfigEntry newValue, @Nullable ConfigEntry oldValue) {

	/** The tracking flags ({@code CMAP_TRACK_*}) without {@code PREFIX}. */
	public enum Type {

		ADD, DELETE, MODIFY

	}

}
