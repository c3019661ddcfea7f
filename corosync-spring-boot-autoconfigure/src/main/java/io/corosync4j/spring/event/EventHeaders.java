package io.corosync4j.spring.event;

/** Header names of the events {@link EventChannelListener} methods receive, and of what the template publishes. */
public final class EventHeaders {

	/** The event's id, growing along the agreed order ({@code Long}). */
	public static final String ID = "evt_id";

	/** The channel ({@code String}); when publishing a {@code Message}, where it goes. */
	public static final String CHANNEL = "evt_channel";

	/** The event's patterns as UTF-8 text ({@code List<String>}); when publishing, a {@code String}, an array or a collection. */
	public static final String PATTERNS = "evt_patterns";

	/** The priority, 0 (highest) to 3 ({@code Integer}). */
	public static final String PRIORITY = "evt_priority";

	/** How long the event is retained for later subscribers ({@code Duration}). */
	public static final String RETENTION = "evt_retention";

	/** The publisher's name ({@code String}). */
	public static final String PUBLISHER = "evt_publisher";

	/** The publisher's node id ({@code Long}). */
	public static final String PUBLISHER_NODE = "evt_publisherNode";

	/** When it was published, by the publisher's clock ({@code Instant}). */
	public static final String PUBLISH_TIME = "evt_publishTime";

	/** Events this listener lost, because it fell behind, since the one before this ({@code Long}, usually 0). */
	public static final String LOST = "evt_lost";

	private EventHeaders() {
	}

}
