package io.corosync4j.engine.message;

/** What tests in other packages (the simulation) read of a service's replica, on its event loop. */
public final class MessageProbe {

	private MessageProbe() {
	}

	/** The whole replica as text, equal on two members exactly when their replicas are; empty without a state. */
	public static String dump(MessageService service) {
		MessageState state = service.state();
		return (state != null && service.holdsState()) ? state.dump() : "";
	}

	/** How many messages the replica's queues hold. */
	public static int messages(MessageService service) {
		MessageState state = service.state();
		return (state != null && service.holdsState()) ? state.messageCount() : 0;
	}

	/** Times the service dropped its state. */
	public static long losses(MessageService service) {
		MessageState state = service.state();
		return (state != null) ? state.losses() : 0;
	}

	/** Times the service's state started empty with the others'. */
	public static long freshStarts(MessageService service) {
		MessageState state = service.state();
		return (state != null) ? state.freshStarts() : 0;
	}

}
