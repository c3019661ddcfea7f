package io.corosync4j.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.corosync4j.spring.cpg.CpgListener;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.springframework.context.event.EventListener;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** The second listener of README.md and {@code docs/spring-boot.md}; {@link SpringBootDocsTests} runs it. */
// tag::orders[]
@Component
class Orders {

	record Order(@NotBlank String item, @Positive int count) {
	}

	final List<Order> accepted = new CopyOnWriteArrayList<>();

	volatile boolean quorate;

	@CpgListener(id = "orders", group = "orders-#{environment['app.region'] ?: 'eu'}")  // placeholders, then SpEL
	void order(@Valid Order order,               // an invalid one goes to the CpgListenerErrorHandler
			@Header(name = "tenant", required = false) String tenant) {
		this.accepted.add(order);
	}

	@EventListener                               // also rings, synchronizations and group changes
	void quorum(CorosyncQuorumChangedEvent event) {
		this.quorate = event.isQuorate();
	}

}
// end::orders[]
