package io.corosync4j.engine.service.cfg;

/** A CFG request refused, with Corosync's error for it. */
public final class CfgException extends RuntimeException {

	/** The {@code cs_error_t} values CFG answers with. */
	public enum Error {

		/** {@code CS_ERR_NOT_EXIST}: no such member. */
		NOT_EXIST,

		/** {@code CS_ERR_EXIST}: a shutdown request is already pending. */
		EXIST,

		/** {@code CS_ERR_BUSY}: a shutdown listener vetoed the request. */
		BUSY,

		/** {@code CS_ERR_TIMEOUT}: a shutdown listener did not answer in time. */
		TIMEOUT,

		/** {@code CS_ERR_INVALID_PARAM}: the reloaded configuration is not valid. */
		INVALID_PARAM

	}

	private final Error error;

	public CfgException(Error error, String message) {
		super(message);
		this.error = error;
	}

	public Error error() {
		return this.error;
	}

}
