package io.corosync4j.spring.message;

/** Header names of the messages {@link QueueListener} methods receive, and of what the template sends. */
public final class QueueHeaders {

	/** The message's id, the same wherever it is handed out: deduplicate by it ({@code Long}). */
	public static final String MESSAGE_ID = "msg_id";

	/** The queue it was handed out from ({@code String}); when sending a {@code Message}, a queue to send to. */
	public static final String QUEUE = "msg_queue";

	/** The listener's queue group ({@code String}); when sending a {@code Message}, the group to send to. */
	public static final String GROUP = "msg_group";

	/** The priority, 0 (highest) to 3 ({@code Integer}). */
	public static final String PRIORITY = "msg_priority";

	/** Whether it moved here from a queue whose listener stopped: it may have been handled there ({@code Boolean}). */
	public static final String MOVED = "msg_moved";

	/** Whether the sender waits for a reply: the method's return value ({@code Boolean}). */
	public static final String REPLY_EXPECTED = "msg_replyExpected";

	/** The sender's node id ({@code Long}). */
	public static final String SENDER_NODE = "msg_senderNode";

	private QueueHeaders() {
	}

}
