package io.corosync4j.spring.cpg;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * The settings of a group's listener container: the thread that invokes the group's listeners in
 * order, the queue in front of it, and the error policy. The auto-configured
 * {@code cpgListenerContainerFactory} takes them from {@code corosync.cpg.*}; an application defines
 * others as beans and names one in {@link CpgListener#containerFactory()}. A group has one container,
 * so the listeners of one group name the same factory.
 */
public class CpgListenerContainerFactory {

	private @Nullable CpgListenerErrorHandler errorHandler;

	private DataSize listenerQueue = DataSize.ofMegabytes(64);

	private boolean rejoinAfterFallingBehind = true;

	private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

	/** The error handler of the group's listeners that name none; the default one when {@code null}. */
	public @Nullable CpgListenerErrorHandler getErrorHandler() {
		return this.errorHandler;
	}

	public void setErrorHandler(@Nullable CpgListenerErrorHandler errorHandler) {
		this.errorHandler = errorHandler;
	}

	/** Data that may wait for the group's listeners before this member leaves the group. */
	public DataSize getListenerQueue() {
		return this.listenerQueue;
	}

	public void setListenerQueue(DataSize listenerQueue) {
		this.listenerQueue = listenerQueue;
	}

	/** Whether a member that left because its listeners fell behind joins again once they caught up. */
	public boolean isRejoinAfterFallingBehind() {
		return this.rejoinAfterFallingBehind;
	}

	public void setRejoinAfterFallingBehind(boolean rejoinAfterFallingBehind) {
		this.rejoinAfterFallingBehind = rejoinAfterFallingBehind;
	}

	/** Where deliveries are observed ({@value CpgObservations#RECEIVE}); {@link ObservationRegistry#NOOP} for none. */
	public ObservationRegistry getObservationRegistry() {
		return this.observationRegistry;
	}

	public void setObservationRegistry(ObservationRegistry observationRegistry) {
		this.observationRegistry = observationRegistry;
	}

}
