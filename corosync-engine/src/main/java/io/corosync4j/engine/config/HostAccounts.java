package io.corosync4j.engine.config;

import java.io.IOException;
import java.util.OptionalLong;

/**
 * The host's users and groups as the C library's {@code getpwnam} and {@code getgrnam} see them, for the
 * names in {@code uidgid} sections: Corosync stores who may use its IPC by numeric id, so a name is
 * resolved when the configuration is read.
 */
public interface HostAccounts {

	/**
	 * The id of a user.
	 * @return the uid, empty when the host has no such user
	 * @throws IOException when the host's user database cannot be asked
	 */
	OptionalLong userId(String name) throws IOException;

	/**
	 * The id of a group.
	 * @return the gid, empty when the host has no such group
	 * @throws IOException when the host's group database cannot be asked
	 */
	OptionalLong groupId(String name) throws IOException;

	/** This host's accounts, through every source its C library is configured for (files, LDAP, sssd...). */
	static HostAccounts system() {
		return GetentAccounts.INSTANCE;
	}

}
