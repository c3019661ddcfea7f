package io.corosync4j.spring.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * Hands submissions to a service in the order they were called, also while what they wait for (the
 * service's state, a channel handle) is not there yet. Callbacks of one future run in no promised
 * order (in practice the last registered first), so sends made before the service was ready could
 * otherwise reach it reversed, and a sender's messages arrive out of its order.
 */
public final class InOrder {

	/** The last submission made or waiting; always completes normally. */
	private CompletableFuture<?> last = CompletableFuture.completedFuture(null);

	/**
	 * Calls {@code submit} with what {@code ready} gives, once it is there and every earlier submission
	 * was made: at once, on the caller's thread, when both are done.
	 * @return what the submission returns, or the failure of {@code ready} or {@code submit}
	 */
	public synchronized <R, T> CompletableFuture<T> submit(CompletableFuture<R> ready,
			Function<R, CompletableFuture<T>> submit) {
		if (this.last.isDone() && ready.isDone() && !ready.isCompletedExceptionally()) {
			return submit.apply(ready.join());
		}
		CompletableFuture<T> result = new CompletableFuture<>();
		this.last = this.last.thenCompose((previous) -> ready).thenAccept((value) -> {
			submit.apply(value).whenComplete((done, failure) -> {
				if (failure != null) {
					result.completeExceptionally(unwrap(failure));
				}
				else {
					result.complete(done);
				}
			});
		}).exceptionally((failure) -> {
			result.completeExceptionally(unwrap(failure));
			return null;
		});
		return result;
	}

	private static Throwable unwrap(Throwable failure) {
		return (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause() : failure;
	}

}
