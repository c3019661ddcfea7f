package io.corosync4j.spring;

import io.corosync4j.engine.transport.TransportException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a node that could not open its socket: the address and port, and what usually causes it. */
class CorosyncTransportFailureAnalyzer extends AbstractFailureAnalyzer<TransportException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TransportException cause) {
		return new FailureAnalysis("The corosync4j node could not open its network socket: " + cause.getMessage(),
				"Stop the other process on that port (a corosync daemon or another instance), choose another with "
						+ "corosync.totem.port, or set corosync.local-address (and the nodelist) to an address of this host.",
				cause);
	}

}
