package io.corosync4j.sample;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /kv}, {@code GET|PUT|DELETE /kv/{key}}. Writes return once this instance applied them (in
 * the order every instance applies them); everything answers 503 until the instance holds the state.
 */
@RestController
@RequestMapping("/kv")
class KvController {

	private final ReplicatedStore store;

	KvController(ReplicatedStore store) {
		this.store = store;
	}

	@GetMapping
	ResponseEntity<?> all() {
		return this.store.contents()
			.<ResponseEntity<?>>map(ResponseEntity::ok)
			.orElseGet(KvController::notReady);
	}

	@GetMapping("/{key}")
	ResponseEntity<?> get(@PathVariable String key) {
		return this.store.contents().<ResponseEntity<?>>map((contents) -> {
			String value = contents.entries().get(key);
			return (value != null) ? ResponseEntity.ok(Map.of("key", key, "value", value, "version", contents.version()))
					: ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no key " + key));
		}).orElseGet(KvController::notReady);
	}

	@PutMapping("/{key}")
	ResponseEntity<?> put(@PathVariable String key, @RequestBody String value) throws Exception {
		if (!this.store.isReady()) {
			return notReady();
		}
		return ResponseEntity.ok(Map.of("key", key, "value", value, "version", this.store.write(key, value)));
	}

	@DeleteMapping("/{key}")
	ResponseEntity<?> delete(@PathVariable String key) throws Exception {
		if (!this.store.isReady()) {
			return notReady();
		}
		return ResponseEntity.ok(Map.of("key", key, "version", this.store.write(key, null)));
	}

	private static ResponseEntity<?> notReady() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.body(Map.of("error", "this instance is still receiving the replicated state"));
	}

}
