package io.corosync4j.engine.ipc;

import java.util.ArrayList;
import java.util.List;

/** What a service registered with the node, removed together when its server stops serving it. */
public final class Registrations implements AutoCloseable {

	private final List<AutoCloseable> registrations = new ArrayList<>();

	/** Keeps a registration's removal for {@link #close()}. */
	public synchronized void add(AutoCloseable registration) {
		this.registrations.add(registration);
	}

	@Override
	public synchronized void close() {
		for (AutoCloseable registration : this.registrations) {
			try {
				registration.close();
			}
			catch (Exception ex) {
				// removing a listener from a list: nothing that can fail worth reporting
			}
		}
		this.registrations.clear();
	}

}
