package io.corosync4j.engine.ipc;

import io.corosync4j.engine.config.ConfigParser;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.Cmap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Who the daemon's {@code uidgid} keys let connect, read from CMAP at every connection. */
class CmapIpcAccessTests {

	@Test
	void withoutKeysNobodyButRootIsAdmitted() {
		Cmap cmap = Cmap.of(ConfigParser.parse("corosync.conf", "totem {\n\tversion: 2\n}\n".getBytes()));
		assertThat(new CmapIpcAccess(cmap).admits(1000, 1000)).isFalse();
	}

	@Test
	void configuredUsersAndGroupsAreAdmitted() {
		Cmap cmap = Cmap.of(ConfigParser.parse("corosync.conf", "uidgid {\n\tuid: 1000\n\tgid: 2000\n}\n".getBytes()));
		CmapIpcAccess access = new CmapIpcAccess(cmap);
		assertThat(access.admits(1000, 1000)).isTrue();
		assertThat(access.admits(1001, 2000)).isTrue();
		assertThat(access.admits(2000, 1000)).isFalse();
		assertThat(access.admits(1001, 1001)).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "uidgid.uid.1000", "uidgid.config.uid.1000", "uidgid.gid.2000", "uidgid.config.gid.2000" })
	void eachKeyAdmitsOnItsOwnFromTheMomentItIsSet(String key) {
		Cmap cmap = new Cmap();
		CmapIpcAccess access = new CmapIpcAccess(cmap);
		assertThat(access.admits(1000, 2000)).isFalse();
		cmap.setNumber(key, ValueType.UINT8, 1);
		assertThat(access.admits(1000, 2000)).isTrue();
		assertThat(access.admits(1001, 2001)).isFalse();
		cmap.delete(key);
		assertThat(access.admits(1000, 2000)).isFalse();
	}

	@Test
	void onlyTheU8ValueOneAdmits() {
		Cmap cmap = new Cmap();
		CmapIpcAccess access = new CmapIpcAccess(cmap);
		cmap.setNumber("uidgid.uid.1000", ValueType.UINT8, 2);
		cmap.setNumber("uidgid.gid.1000", ValueType.UINT8, 0);
		cmap.setNumber("uidgid.uid.1001", ValueType.UINT32, 1);
		cmap.setString("uidgid.gid.1001", "1");
		assertThat(access.admits(1000, 1000)).isFalse();
		assertThat(access.admits(1001, 1001)).isFalse();
	}

	@Test
	void idsAreNamedUnsigned() {
		Cmap cmap = new Cmap();
		cmap.setNumber("uidgid.gid.4294967294", ValueType.UINT8, 1);
		assertThat(new CmapIpcAccess(cmap).admits(-2, -2)).isTrue();
	}

}
