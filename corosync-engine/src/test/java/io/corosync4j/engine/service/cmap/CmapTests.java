package io.corosync4j.engine.service.cmap;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.cmap.CmapEvent.Type;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CmapTests {

	private final Cmap cmap = new Cmap();

	@Test
	void typedValuesAreKeptAndListedInNameOrder() {
		this.cmap.setNumber("totem.token", ValueType.UINT32, 3000);
		this.cmap.setString("totem.cluster_name", "alpha");
		this.cmap.set("resources.blob", ValueType.BINARY, new byte[] { 1, 2 });
		this.cmap.setNumber("quorum.votes", ValueType.INT8, -3);
		assertThat(this.cmap.getLong("totem.token")).contains(3000L);
		assertThat(this.cmap.getString("totem.cluster_name")).contains("alpha");
		assertThat(this.cmap.getLong("totem.cluster_name")).isEmpty();
		assertThat(this.cmap.entries("totem.")).extracting(ConfigEntry::key)
			.containsExactly("totem.cluster_name", "totem.token");
		assertThat(this.cmap.entries("")).hasSize(4);
		assertThat(this.cmap.dump("totem.")).isEqualTo("totem.cluster_name (str) = alpha\ntotem.token (u32) = 3000\n");
	}

	@Test
	void readOnlyKeysAndPrefixesRefuseClientsButNotTheNode() {
		this.cmap.setReadOnly("nodelist.", true);
		this.cmap.setReadOnly("totem.transport", false);
		this.cmap.putString("totem.transport", "udpu");
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.setString("totem.transport", "knet"))
			.matches((ex) -> ex.error() == CmapException.Error.ACCESS);
		assertThatExceptionOfType(CmapException.class)
			.isThrownBy(() -> this.cmap.setNumber("nodelist.node.0.nodeid", ValueType.UINT32, 4))
			.matches((ex) -> ex.error() == CmapException.Error.ACCESS);
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.delete("totem.transport"))
			.matches((ex) -> ex.error() == CmapException.Error.ACCESS);
		assertThat(this.cmap.getString("totem.transport")).contains("udpu");
		this.cmap.setString("totem.transport_note", "writable: only the exact key is read-only");
	}

	@Test
	void namesAndRangesAreChecked() {
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.setString("ab", "x"))
			.matches((ex) -> ex.error() == CmapException.Error.NAME_NOT_FOUND);
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.setString("a key", "x"))
			.matches((ex) -> ex.error() == CmapException.Error.NAME_NOT_FOUND);
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.setString("k".repeat(256), "x"))
			.matches((ex) -> ex.error() == CmapException.Error.NAME_TOO_LONG);
		this.cmap.setString("k".repeat(255), "x");
		assertThatExceptionOfType(CmapException.class)
			.isThrownBy(() -> this.cmap.setNumber("a.byte", ValueType.UINT8, 256))
			.matches((ex) -> ex.error() == CmapException.Error.INVALID_PARAM)
			.withMessageContaining("u8");
		this.cmap.setNumber("a.u64", ValueType.UINT64, -1);
		assertThat(this.cmap.get("a.u64").orElseThrow().valueText()).isEqualTo("18446744073709551615");
	}

	@Test
	void incrementAndDecrementWrapWithinTheType() {
		this.cmap.setNumber("a.byte", ValueType.UINT8, 255);
		this.cmap.increment("a.byte");
		assertThat(this.cmap.getLong("a.byte")).contains(0L);
		this.cmap.decrement("a.byte");
		assertThat(this.cmap.getLong("a.byte")).contains(255L);
		this.cmap.setNumber("a.short", ValueType.INT16, Short.MIN_VALUE);
		this.cmap.decrement("a.short");
		assertThat(this.cmap.getLong("a.short")).contains((long) Short.MAX_VALUE);
		this.cmap.setString("a.text", "x");
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.increment("a.text"))
			.matches((ex) -> ex.error() == CmapException.Error.INVALID_PARAM);
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.increment("a.none"))
			.matches((ex) -> ex.error() == CmapException.Error.NOT_EXIST);
	}

	@Test
	void adjustAddsAnyStepAndAStepThatChangesNothingIsNoChange() {
		this.cmap.setNumber("a.byte", ValueType.INT8, 100);
		List<String> seen = new ArrayList<>();
		this.cmap.track("a.byte", EnumSet.allOf(Type.class), false, (event) -> seen.add(value(event.newValue())));
		this.cmap.adjust("a.byte", 30);
		assertThat(this.cmap.getLong("a.byte")).as("wraps as an int8_t does").contains(-126L);
		this.cmap.adjust("a.byte", 256);
		this.cmap.adjust("a.byte", 0);
		assertThat(seen).containsExactly("-126");
		this.cmap.setReadOnly("a.byte", false);
		assertThatExceptionOfType(CmapException.class).isThrownBy(() -> this.cmap.adjust("a.byte", 1))
			.matches((ex) -> ex.error() == CmapException.Error.ACCESS);
	}

	@Test
	void trackersSeeAddsModificationsAndDeletesOfTheirKeyOrPrefix() throws Exception {
		List<String> seen = new ArrayList<>();
		AutoCloseable prefix = this.cmap.track("runtime.members.", EnumSet.allOf(Type.class), true,
				(event) -> seen.add(event.type() + " " + event.key() + " " + value(event.oldValue()) + "->"
						+ value(event.newValue())));
		AutoCloseable onlyDeletes = this.cmap.track("runtime.members.2.status", EnumSet.of(Type.DELETE), false,
				(event) -> seen.add("deleted " + event.key()));
		this.cmap.putString("runtime.members.2.status", "joined");
		this.cmap.putString("runtime.members.2.status", "joined");
		this.cmap.putString("runtime.members.2.status", "left");
		this.cmap.putString("runtime.other", "ignored");
		this.cmap.remove("runtime.members.2.status");
		onlyDeletes.close();
		prefix.close();
		this.cmap.putString("runtime.members.3.status", "joined");
		assertThat(seen).containsExactly("ADD runtime.members.2.status -->joined",
				"MODIFY runtime.members.2.status joined->left", "DELETE runtime.members.2.status left->-",
				"deleted runtime.members.2.status");
	}

	@Test
	void computedKeysAreReadOnReadAndReadOnly() {
		long[] counter = { 0 };
		this.cmap.registerComputed("stats.test.", () -> List.of(ConfigEntry.ofNumber("stats.test.reads",
				ValueType.UINT64, ++counter[0], ConfigOrigin.DEFAULT)));
		assertThat(this.cmap.getLong("stats.test.reads")).contains(1L);
		assertThat(this.cmap.getLong("stats.test.reads")).contains(2L);
		assertThat(this.cmap.entries("stats.")).extracting(ConfigEntry::key).containsExactly("stats.test.reads");
		assertThat(this.cmap.entries("stats.test.reads")).hasSize(1);
		assertThat(this.cmap.isReadOnly("stats.test.reads")).isTrue();
		assertThat(this.cmap.get("stats.test.other")).isEmpty();
	}

	private static String value(ConfigEntry entry) {
		return (entry != null) ? entry.valueText() : "-";
	}

}
