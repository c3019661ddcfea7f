package io.corosync4j.engine.service.cmap;

/** A CMAP operation refused, with Corosync's error for it. */
public final class CmapException extends RuntimeException {

	/** The {@code cs_error_t} values CMAP answers with. */
	public enum Error {

		/** {@code CS_ERR_NOT_EXIST}: no such key. */
		NOT_EXIST,

		/** {@code CS_ERR_ACCESS}: the key is read-only. */
		ACCESS,

		/** {@code CS_ERR_NAME_TOO_LONG}: the key name is longer than 255 characters. */
		NAME_TOO_LONG,

		/** {@code CS_ERR_NAME_NOT_FOUND}: the key name is too short or has characters CMAP refuses. */
		NAME_NOT_FOUND,

		/** {@code CS_ERR_INVALID_PARAM}: a value out of its type's range, or an operation the type does not have. */
		INVALID_PARAM

	}

	private final Error error;

	CmapException(Error error, String message) {
		super(message);
		this.error = error;
	}

	public Error error() {
		return this.error;
	}

}
