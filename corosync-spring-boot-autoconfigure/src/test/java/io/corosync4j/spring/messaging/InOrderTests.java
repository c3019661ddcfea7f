package io.corosync4j.spring.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class InOrderTests {

	@Test
	void submissionsWaitingForTheServiceAreMadeInTheOrderOfTheCalls() {
		InOrder order = new InOrder();
		CompletableFuture<String> ready = new CompletableFuture<>();
		List<Integer> submitted = new ArrayList<>();
		List<CompletableFuture<Integer>> results = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			int call = i;
			// each call's own view of readiness, as a template makes one per send
			results.add(order.submit(ready.thenApply((service) -> service), (service) -> {
				submitted.add(call);
				return CompletableFuture.completedFuture(call);
			}));
		}
		assertThat(submitted).isEmpty();
		ready.complete("service");
		assertThat(submitted).hasSize(100).isSorted();
		assertThat(results).allSatisfy((result) -> assertThat(result).isDone());
		assertThat(results.get(42).join()).isEqualTo(42);
		// once ready and nothing waits, at once on the caller's thread
		order.submit(ready, (service) -> {
			submitted.add(100);
			return CompletableFuture.completedFuture(100);
		});
		assertThat(submitted).last().isEqualTo(100);
	}

	@Test
	void aFailureReachesItsOwnCallerAndTheNextSubmissionsStillGoOut() {
		InOrder order = new InOrder();
		CompletableFuture<String> ready = new CompletableFuture<>();
		CompletableFuture<Integer> failing = order.submit(ready, (service) -> CompletableFuture.failedFuture(
				new IllegalStateException("refused")));
		CompletableFuture<Integer> next = order.submit(ready, (service) -> CompletableFuture.completedFuture(2));
		ready.complete("service");
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(failing::get)
			.withCauseInstanceOf(IllegalStateException.class);
		assertThat(next.join()).isEqualTo(2);
		CompletableFuture<String> never = CompletableFuture.failedFuture(new IllegalStateException("no service"));
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> order.submit(never, (service) -> CompletableFuture.completedFuture(3)).get())
			.withMessageContaining("no service");
	}

}
