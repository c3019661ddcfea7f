package io.corosync4j.spring.messaging;

import java.util.function.BooleanSupplier;

import io.corosync4j.spring.CorosyncProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/** Invoking a listener method again, in place, while it fails and its back-off allows. */
public final class Retries {

	private Retries() {
	}

	/**
	 * Invokes {@code method} with {@code message}, again after each pause {@code backOff} allows while it
	 * fails, as long as {@code running} holds.
	 * @param onRetry told before each repeated invocation
	 * @return what the last invocation returned, or the failure it ended with
	 */
	public static Outcome invoke(InvocableHandlerMethod method, Message<?> message, BackOff backOff,
			BooleanSupplier running, Runnable onRetry) {
		BackOffExecution retries = null;
		while (true) {
			try {
				return new Outcome(method.invoke(message), null);
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Exception | Error ex) {
				if (retries == null) {
					retries = backOff.start();
				}
				long pause = retries.nextBackOff();
				if (pause == BackOffExecution.STOP || !running.getAsBoolean()) {
					return new Outcome(null, ex);
				}
				onRetry.run();
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return new Outcome(null, ex);
				}
			}
		}
	}

	/**
	 * The back-off of {@code retry}, whose properties are under {@code prefix}.
	 * @throws InvalidConfigurationPropertyValueException for fewer than one attempt
	 */
	public static BackOff backOff(CorosyncProperties.Retry retry, String prefix) {
		if (retry.getMaxAttempts() < 1) {
			throw new InvalidConfigurationPropertyValueException(prefix + ".max-attempts", retry.getMaxAttempts(),
					"At least 1: the first invocation counts.");
		}
		if (retry.getMaxAttempts() == 1) {
			return ListenerErrorHandler.NO_RETRY;
		}
		ExponentialBackOff backOff = new ExponentialBackOff(retry.getInterval().toMillis(), retry.getMultiplier());
		backOff.setMaxInterval(retry.getMaxInterval().toMillis());
		backOff.setMaxAttempts(retry.getMaxAttempts() - 1);
		return backOff;
	}

	/** What an invocation returned, or the failure the last attempt ended with. */
	public record Outcome(@Nullable Object returned, @Nullable Throwable failure) {
	}

}
