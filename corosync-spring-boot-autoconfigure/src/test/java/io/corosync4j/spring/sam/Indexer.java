package io.corosync4j.spring.sam;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.corosync4j.engine.sam.SamPolicy;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/** The event-driven SAM component of {@code docs/sam.md}; {@link SamDocsTests} runs it. */
// tag::indexer[]
@Component
class Indexer implements SmartLifecycle {                      // RESTART stops and starts a Lifecycle bean

	final AtomicBoolean moving = new AtomicBoolean(true);

	final AtomicInteger starts = new AtomicInteger();

	private volatile boolean running;

	@SamHealthCheck(name = "indexer", interval = "2s", policy = SamPolicy.RESTART)   // SAM calls it
	boolean healthy() {                          // false, a Health that is not UP, an exception or a hang: no heartbeat
		return this.moving.get();
	}

	@Override
	public void start() {
		this.starts.incrementAndGet();
		this.moving.set(true);
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
// end::indexer[]
