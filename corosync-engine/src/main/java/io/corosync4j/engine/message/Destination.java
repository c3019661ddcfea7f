package io.corosync4j.engine.message;

/** Where a message is sent: one queue by name, or a queue group, whose policy picks the queue(s). */
public record Destination(String name, boolean group) {

	public static Destination queue(String name) {
		return new Destination(name, false);
	}

	public static Destination group(String name) {
		return new Destination(name, true);
	}

	@Override
	public String toString() {
		return (this.group ? "group '" : "queue '") + this.name + "'";
	}

}
