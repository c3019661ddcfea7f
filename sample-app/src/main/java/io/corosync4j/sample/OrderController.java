package io.corosync4j.sample;

import java.util.Map;

import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders}: the next order number from the active instance; any other instance answers 503,
 * so a client tries the next one.
 */
@RestController
class OrderController {

	private final OrderNumbers numbers;

	private final CorosyncNodeLifecycle node;

	OrderController(OrderNumbers numbers, CorosyncNodeLifecycle node) {
		this.numbers = numbers;
		this.node = node;
	}

	@PostMapping("/orders")
	ResponseEntity<Map<String, Object>> next() {
		long nodeid = this.node.getNode().nodeId();
		try {
			return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("order", this.numbers.next(), "node", nodeid));
		}
		catch (IllegalStateException notActive) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(Map.of("error", notActive.getMessage(), "node", nodeid));
		}
	}

}
