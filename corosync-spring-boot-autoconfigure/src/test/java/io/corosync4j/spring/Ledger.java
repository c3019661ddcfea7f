package io.corosync4j.spring;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import io.corosync4j.engine.service.cpg.CpgConfigurationChange;
import io.corosync4j.spring.cpg.CpgHeaders;
import io.corosync4j.spring.cpg.CpgListener;
import io.corosync4j.spring.cpg.CpgMembershipListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The listener of README.md and {@code docs/spring-boot.md}; {@link SpringBootDocsTests} runs it. */
// tag::ledger[]
@Component
class Ledger {

	final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

	@CpgListener(group = "ledger")              // every member, the same order; off the event loop
	void entry(Entry entry, @Header(CpgHeaders.NODE_ID) long from) {      // byte[], String, JSON, Message<T>
		this.lines.add("node " + from + ": " + entry.item() + " " + entry.amount());
	}

	@CpgMembershipListener(group = "ledger")    // at the same point of the order on every member
	void changed(CpgConfigurationChange change) {
		this.lines.add("members: " + change.members().size());
	}

}
// end::ledger[]
