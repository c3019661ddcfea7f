package io.corosync4j.spring.lock;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.stereotype.Component;

/** A store that remembers the largest fencing token it accepted and refuses smaller ones. */
@Component
class InvoiceStore {

	final List<String> closed = new CopyOnWriteArrayList<>();

	private long largestToken;

	synchronized void close(String customer, long fencingToken) {
		if (fencingToken <= this.largestToken) {
			throw new IllegalStateException("a stale holder: token " + fencingToken + " after " + this.largestToken);
		}
		this.largestToken = fencingToken;
		this.closed.add(customer);
	}

	void report() {
		this.closed.add("report");
	}

}
