package io.corosync4j.spring.message;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The queue listeners of {@code docs/spring-boot.md}; {@link MessageQueueDocsTests} runs them. */
// tag::invoicing[]
@Component
class Invoicing {

	record Invoice(String order, int cents) {
	}

	final Set<Long> handled = ConcurrentHashMap.newKeySet();

	final List<Invoice> billed = new CopyOnWriteArrayList<>();

	@QueueListener(group = "invoices")          // a queue of its own in the group: each message goes to one
	void invoice(Invoice invoice, @Header(QueueHeaders.MESSAGE_ID) long id) {
		if (this.handled.add(id)) {             // at least once: a message that moved may come again
			this.billed.add(invoice);
		}
	}                                           // acknowledged when the method returns

	@QueueListener(group = "quotes")
	int quote(Invoice invoice) {                // the answer to a request
		return invoice.cents() * 120 / 100;
	}

}
// end::invoicing[]
