package io.corosync4j.sample;

import java.util.List;
import java.util.Map;

/** What travels in the {@code kv} group, as JSON. */
final class KvMessages {

	private KvMessages() {
	}

	/**
	 * A write: {@code value == null} deletes the key.
	 *
	 * @param requestId lets the instance that took the request answer once its own copy is applied
	 * @param key the key
	 * @param value the new value, or {@code null} to delete
	 */
	record Write(String requestId, String key, String value) {
	}

	/**
	 * The store as it was at a membership change, for one process that joined.
	 *
	 * @param target the joiner ({@code node/pid}) it is for
	 * @param skip how many membership changes after its join the snapshot was taken at
	 * @param entries the entries
	 * @param version how many writes the store had applied
	 * @param holders the processes that held the state when it was taken
	 */
	record Snapshot(String target, int skip, Map<String, String> entries, long version, List<String> holders) {
	}

	/** Carries either kind; exactly one is set. */
	record Envelope(Write write, Snapshot snapshot) {
	}

}
