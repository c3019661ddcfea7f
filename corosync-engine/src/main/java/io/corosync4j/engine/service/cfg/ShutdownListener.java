package io.corosync4j.engine.service.cfg;

import java.util.concurrent.CompletionStage;

/**
 * Asked before this node shuts down on request ({@code corosync_cfg_state_track} and
 * {@code corosync_cfg_replyto_shutdown}). Called on the node's event loop; answer later through the stage.
 */
@FunctionalInterface
public interface ShutdownListener {

	/**
	 * @param flag how the request was made; with {@link ShutdownFlag#REGARDLESS} the answer is only advisory
	 * @return true to allow the shutdown, false to veto it
	 */
	CompletionStage<Boolean> shutdownRequested(ShutdownFlag flag);

	/**
	 * A shutdown request ran out of {@code cfg.shutdown_timeout} before every listener answered, and was
	 * cancelled; every registered listener hears it, as Corosync tells every tracking client.
	 */
	default void shutdownTimedOut() {
	}

}
