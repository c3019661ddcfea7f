package io.corosync4j.engine.event;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An event as a subscriber receives it: the id the replicated state gave it at its point of the agreed
 * order (ids grow along that order, so two subscribers anywhere see common events in the same relative
 * order of ids), and what its publisher gave it. The arrays are the service's: do not change them.
 * @param publisherNode the node whose process published it
 * @param published the publisher's clock when it published (its retention runs from then)
 */
public record Event(long id, String channel, List<byte[]> patterns, int priority, Duration retention,
		String publisher, long publisherNode, Instant published, byte[] data) {

	@Override
	public String toString() {
		return "event " + this.id + " on '" + this.channel + "' from " + this.publisher + " (" + this.patterns.size()
				+ " patterns, " + this.data.length + " bytes)";
	}

}
