package io.corosync4j.engine.ipc.cmap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.config.ConfigOrigin;
import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.ipc.CsError;
import io.corosync4j.engine.ipc.IpcMessages;
import io.corosync4j.engine.ipc.IpcSession;
import io.corosync4j.engine.ipc.RecordingConnection;
import io.corosync4j.engine.service.cmap.Cmap;
import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.corosync4j.engine.ipc.cmap.CmapRequests.error;
import static io.corosync4j.engine.ipc.cmap.CmapRequests.handle;
import static io.corosync4j.engine.ipc.cmap.CmapRequests.id;
import static io.corosync4j.engine.ipc.cmap.CmapRequests.name;
import static io.corosync4j.engine.ipc.cmap.CmapRequests.read;
import static io.corosync4j.engine.ipc.cmap.CmapRequests.size;
import static org.assertj.core.api.Assertions.assertThat;

/** A CMAP connection's requests on a real map, answered byte for byte as {@code exec/cmap.c} answers them. */
class CmapSessionTests {

	private static final int OK = CsError.OK.code();

	private static final int U8 = 2;

	private static final int U32 = 6;

	private static final int U64 = 8;

	private static final int STRING = 11;

	private final Cmap cmap = new Cmap();

	private final AtomicLong tokens = new AtomicLong(7);

	private final RecordingConnection connection = new RecordingConnection("cmap", 4242);

	private IpcSession session;

	@BeforeEach
	void setUp() {
		this.cmap.putString("totem.cluster_name", "alpha");
		this.cmap.putNumber("totem.token", ValueType.UINT32, 3000);
		this.cmap.putString("nodelist.node.0.ring0_addr", "10.0.0.1");
		this.cmap.setReadOnly("nodelist.", true);
		this.cmap.registerComputed("stats.srp.", () -> List.of(
				ConfigEntry.ofNumber("stats.srp.orf_token_rx", ValueType.UINT64, this.tokens.get(), ConfigOrigin.DEFAULT),
				ConfigEntry.ofNumber("stats.srp.mtt_rx_token", ValueType.UINT32, 2, ConfigOrigin.DEFAULT)));
		this.cmap.registerComputed("runtime.services.", () -> List.of(
				ConfigEntry.ofNumber("runtime.services.cpg.service_id", ValueType.UINT16, 2, ConfigOrigin.DEFAULT)));
		this.session = new CmapIpcService(this.cmap, Runnable::run).connected(this.connection);
	}

	@Test
	void everyTypeIsSetAndReadBackInItsCSize() {
		record Case(String key, int type, byte[] value, Object java) {
		}
		List<Case> cases = List.of(new Case("t.i8", 1, new byte[] { -2 }, -2L),
				new Case("t.u8", 2, new byte[] { (byte) 0xFE }, 254L),
				new Case("t.i16", 3, le(-300, 2), -300L),
				new Case("t.u16", 4, le(65000, 2), 65000L),
				new Case("t.i32", 5, le(-70000, 4), -70000L),
				new Case("t.u32", 6, le(4000000000L, 4), 4000000000L),
				new Case("t.i64", 7, le(-5, 8), -5L),
				new Case("t.u64", 8, le(-1, 8), -1L),
				new Case("t.flt", 9, le(Float.floatToIntBits(1.5f), 4), 1.5f),
				new Case("t.dbl", 10, le(Double.doubleToLongBits(-2.25), 8), -2.25),
				new Case("t.bin", 12, new byte[] { 0, 1, 2, (byte) 0xFF }, null));
		for (Case c : cases) {
			assertThat(error(answer(CmapRequests.set(c.key(), c.type(), c.value())))).as(c.key()).isEqualTo(OK);
			byte[] sized = answer(CmapRequests.get(c.key(), 0));
			assertThat(size(sized)).isEqualTo(40);
			assertThat(read(sized).getLong(24)).as(c.key()).isEqualTo(c.value().length);
			assertThat(sized[32]).isEqualTo((byte) c.type());
			byte[] full = answer(CmapRequests.get(c.key(), 16));
			assertThat(size(full)).as("40 and the room asked for").isEqualTo(56);
			assertThat(java.util.Arrays.copyOfRange(full, 40, 40 + c.value().length)).isEqualTo(c.value());
			if (c.java() != null) {
				assertThat(this.cmap.get(c.key()).orElseThrow().value()).isEqualTo(c.java());
			}
		}
		assertThat((byte[]) this.cmap.get("t.bin").orElseThrow().value()).containsExactly(0, 1, 2, 0xFF);
	}

	@Test
	void aStringIsHeldWithItsZero() {
		// cmap_set_string sends strlen bytes, without the zero
		assertThat(error(answer(CmapRequests.set("t.text", STRING, "héllo".getBytes(StandardCharsets.UTF_8)))))
			.isEqualTo(OK);
		assertThat(this.cmap.getString("t.text")).contains("héllo");
		byte[] answer = answer(CmapRequests.get("t.text", 0));
		assertThat(read(answer).getLong(24)).isEqualTo(7);
		byte[] value = answer(CmapRequests.get("t.text", 7));
		assertThat(new String(value, 40, 7, StandardCharsets.UTF_8)).isEqualTo("héllo\0");
		// a zero as the last byte is the terminator; one before it is refused
		assertThat(error(answer(CmapRequests.set("t.text", STRING, "ab\0".getBytes(StandardCharsets.US_ASCII)))))
			.isEqualTo(OK);
		assertThat(this.cmap.getString("t.text")).contains("ab");
		assertThat(error(answer(CmapRequests.set("t.text", STRING, "a\0b".getBytes(StandardCharsets.US_ASCII)))))
			.isEqualTo(CsError.INVALID_PARAM.code());
	}

	@Test
	void setIsCheckedInTheDaemonsOrder() {
		assertThat(error(answer(CmapRequests.set("nodelist.node.0.ring0_addr", STRING, new byte[] { 'x' }))))
			.as("read-only before anything").isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.set("t.u32", U32, new byte[3])))).as("a number's size")
			.isEqualTo(CsError.INVALID_PARAM.code());
		assertThat(error(answer(CmapRequests.set("t.big", 12, new byte[16 * 1024 + 1]))))
			.as("ICMAP_MAX_VALUE_LEN").isEqualTo(CsError.INVALID_PARAM.code());
		assertThat(error(answer(CmapRequests.set("ab", U8, new byte[1])))).as("too short a name")
			.isEqualTo(CsError.NAME_TOO_LONG.code());
		assertThat(error(answer(CmapRequests.set("a b.c", U8, new byte[1])))).as("a space in the name")
			.isEqualTo(CsError.NAME_TOO_LONG.code());
		assertThat(error(answer(CmapRequests.set("t.x", 13, new byte[0])))).as("a type icmap keeps, the Java map cannot")
			.isEqualTo(CsError.NOT_SUPPORTED.code());
		assertThat(this.cmap.entries("t.")).isEmpty();
		assertThat(this.cmap.entries("a")).isEmpty();
	}

	@Test
	void deleteAndAdjustAnswerAsIcmap() {
		this.cmap.putNumber("t.u8", ValueType.UINT8, 255);
		this.cmap.putString("t.s", "x");
		assertThat(error(answer(CmapRequests.adjust("t.u8", 1)))).isEqualTo(OK);
		assertThat(this.cmap.getLong("t.u8")).as("wraps within u8").contains(0L);
		assertThat(error(answer(CmapRequests.adjust("t.u8", -3)))).isEqualTo(OK);
		assertThat(this.cmap.getLong("t.u8")).contains(253L);
		assertThat(error(answer(CmapRequests.adjust("t.s", 1)))).isEqualTo(CsError.INVALID_PARAM.code());
		assertThat(error(answer(CmapRequests.adjust("t.none", 1)))).isEqualTo(CsError.NOT_EXIST.code());
		assertThat(error(answer(CmapRequests.adjust("nodelist.node.0.ring0_addr", 1)))).isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.delete("nodelist.node.0.ring0_addr")))).isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.delete("x")))).as("an invalid name is no key").isEqualTo(CsError.NOT_EXIST.code());
		assertThat(error(answer(CmapRequests.delete("stats.srp.orf_token_rx")))).as("not in the default map")
			.isEqualTo(CsError.NOT_EXIST.code());
		assertThat(error(answer(CmapRequests.delete("t.s")))).isEqualTo(OK);
		assertThat(error(answer(CmapRequests.delete("t.s")))).isEqualTo(CsError.NOT_EXIST.code());
		assertThat(this.connection.responses).allSatisfy((answer) -> assertThat(size(answer)).isEqualTo(24));
	}

	@Test
	void getRefusalsAreTheFortyByteStructure() {
		this.cmap.putString("t.s", "hello");
		byte[] missing = answer(CmapRequests.get("t.none", 0));
		assertThat(new int[] { id(missing), size(missing), error(missing) }).containsExactly(2, 40, CsError.NOT_EXIST.code());
		byte[] small = answer(CmapRequests.get("t.s", 3));
		assertThat(new int[] { id(small), size(small), error(small) }).containsExactly(2, 40, CsError.INVALID_PARAM.code());
		assertThat(read(small).getLong(24)).isZero();
		assertThat(error(answer(CmapRequests.get("stats.srp.orf_token_rx", 8)))).as("statistics are the stats map's")
			.isEqualTo(CsError.NOT_EXIST.code());
	}

	@Test
	void iterationWalksThePrefixInNameOrderWithoutStatistics() {
		this.cmap.putNumber("totem.b", ValueType.UINT8, 1);
		this.cmap.putString("totem.a", "abc");
		long iterator = handle(answer(CmapRequests.iterInit("totem.")));
		List<String> keys = new ArrayList<>();
		List<Long> lengths = new ArrayList<>();
		byte[] next;
		while (error(next = answer(CmapRequests.iterNext(iterator))) == OK) {
			assertThat(new int[] { id(next), size(next) }).containsExactly(5, 304);
			keys.add(name(next, 24));
			lengths.add(read(next).getLong(288));
			if (keys.size() == 1) {
				this.cmap.remove("totem.b");
			}
		}
		assertThat(error(next)).isEqualTo(CsError.NO_SECTIONS.code());
		assertThat(keys).as("totem.b deleted on the way").containsExactly("totem.a", "totem.cluster_name", "totem.token");
		assertThat(lengths).containsExactly(4L, 6L, 4L);
		assertThat(error(answer(CmapRequests.iterFinalize(iterator)))).isEqualTo(OK);
		assertThat(error(answer(CmapRequests.iterFinalize(iterator)))).isEqualTo(CsError.BAD_HANDLE.code());
		assertThat(error(answer(CmapRequests.iterNext(iterator)))).isEqualTo(CsError.BAD_HANDLE.code());

		long all = handle(answer(CmapRequests.iterInit(null)));
		List<String> everything = new ArrayList<>();
		while (error(next = answer(CmapRequests.iterNext(all))) == OK) {
			everything.add(name(next, 24));
		}
		assertThat(everything).as("computed keys but statistics").containsExactly("nodelist.node.0.ring0_addr",
				"runtime.services.cpg.service_id", "totem.a", "totem.cluster_name", "totem.token");
	}

	@Test
	void handlesAreLibqbsSlotAndCheck() {
		long first = handle(answer(CmapRequests.iterInit("totem.")));
		long second = handle(answer(CmapRequests.iterInit("totem.")));
		assertThat(first & 0xFFFF_FFFFL).isZero();
		assertThat(second & 0xFFFF_FFFFL).isOne();
		assertThat(first >>> 32).isPositive();
		assertThat(error(answer(CmapRequests.iterNext(first ^ (1L << 40))))).as("a wrong check")
			.isEqualTo(CsError.BAD_HANDLE.code());
		assertThat(error(answer(CmapRequests.iterNext(0xFFFF_FFFF_0000_0001L)))).as("a check of all ones matches")
			.isEqualTo(OK);
		answer(CmapRequests.iterFinalize(first));
		assertThat(handle(answer(CmapRequests.iterInit("x"))) & 0xFFFF_FFFFL).as("the lowest free slot again").isZero();
	}

	@Test
	void tracksSendTheNewThenTheOldValue() {
		long keyTrack = handle(answer(CmapRequests.trackAdd("totem.token", 4 | 1 | 2, 0x1111)));
		long prefixTrack = handle(answer(CmapRequests.trackAdd("t.", 4 | 1 | 8, 0x2222)));
		assertThat(error(answer(CmapRequests.set("totem.token", U32, le(5000, 4))))).isEqualTo(OK);
		assertThat(this.connection.events).hasSize(1);
		ByteBuffer modify = read(this.connection.events.get(0));
		assertThat(modify.getInt(0)).isEqualTo(9);
		assertThat(modify.getInt(8)).isEqualTo(336 + 4 + 4);
		assertThat(modify.getLong(24)).isEqualTo(0x1111);
		assertThat(name(this.connection.events.get(0), 32)).isEqualTo("totem.token");
		assertThat(modify.getInt(296)).as("CMAP_TRACK_MODIFY").isEqualTo(2);
		assertThat(new byte[] { modify.get(304), modify.get(312) }).containsExactly(U32, U32);
		assertThat(new long[] { modify.getLong(320), modify.getLong(328) }).containsExactly(4, 4);
		assertThat(new int[] { modify.getInt(336), modify.getInt(340) }).containsExactly(5000, 3000);
		assertThat(error(answer(CmapRequests.set("totem.token", U32, le(5000, 4))))).isEqualTo(OK);
		assertThat(this.connection.events).as("the same value is no change").hasSize(1);

		answer(CmapRequests.set("t.s", STRING, "ab".getBytes(StandardCharsets.US_ASCII)));
		answer(CmapRequests.delete("t.s"));
		ByteBuffer add = read(this.connection.events.get(1));
		assertThat(add.getLong(24)).isEqualTo(0x2222);
		assertThat(add.getInt(296)).as("CMAP_TRACK_ADD").isEqualTo(4);
		assertThat(new byte[] { add.get(304), add.get(312) }).containsExactly(STRING, 0);
		assertThat(new long[] { add.getLong(320), add.getLong(328) }).containsExactly(3, 0);
		ByteBuffer delete = read(this.connection.events.get(2));
		assertThat(delete.getInt(296)).as("CMAP_TRACK_DELETE").isEqualTo(1);
		assertThat(new byte[] { delete.get(304), delete.get(312) }).containsExactly(0, STRING);
		assertThat(new long[] { delete.getLong(320), delete.getLong(328) }).containsExactly(0, 3);
		assertThat(delete.getInt(8)).isEqualTo(339);

		byte[] deleted = answer(CmapRequests.trackDelete(keyTrack));
		assertThat(new int[] { id(deleted), size(deleted), error(deleted) }).containsExactly(8, 32, OK);
		assertThat(handle(deleted)).as("the client's track_inst_handle").isEqualTo(0x1111);
		assertThat(error(answer(CmapRequests.trackDelete(keyTrack)))).isEqualTo(CsError.BAD_HANDLE.code());
		this.cmap.putNumber("totem.token", ValueType.UINT32, 1);
		assertThat(this.connection.events).hasSize(3);

		this.session.closed();
		this.cmap.putString("t.after", "x");
		assertThat(this.connection.events).as("tracks end with the connection").hasSize(3);
		assertThat(prefixTrack).isNotEqualTo(keyTrack);
	}

	@Test
	void unknownTrackFlagsAreRefused() {
		byte[] answer = answer(CmapRequests.trackAdd("totem.token", 16, 1));
		assertThat(new int[] { id(answer), size(answer), error(answer) }).containsExactly(7, 32, CsError.INVALID_PARAM.code());
		assertThat(handle(answer)).isZero();
	}

	@Test
	void aClientThatStopsReadingEventsHearsNoMore() {
		this.connection.eventCapacity = 1;
		answer(CmapRequests.trackAdd("t.", 4 | 8, 1));
		this.cmap.putString("t.a", "1");
		this.cmap.putString("t.b", "2");
		this.connection.eventCapacity = 10;
		this.connection.open = true;
		this.cmap.putString("t.c", "3");
		assertThat(this.connection.events).hasSize(1);
	}

	@Test
	void theStatsMapHoldsTheStatistics() {
		byte[] switched = answer(CmapRequests.setCurrentMap(1));
		assertThat(new int[] { id(switched), size(switched), error(switched) }).containsExactly(10, 24, OK);
		long iterator = handle(answer(CmapRequests.iterInit(null)));
		List<String> keys = new ArrayList<>();
		byte[] next;
		while (error(next = answer(CmapRequests.iterNext(iterator))) == OK) {
			keys.add(name(next, 24) + "/" + next[296] + "/" + read(next).getLong(288));
		}
		assertThat(keys).containsExactly("stats.srp.mtt_rx_token/6/4", "stats.srp.orf_token_rx/8/8");
		byte[] busy = answer(CmapRequests.setCurrentMap(0));
		assertThat(error(busy)).as("an open iterator pins the map").isEqualTo(CsError.BUSY.code());
		answer(CmapRequests.iterFinalize(iterator));

		byte[] value = answer(CmapRequests.get("stats.srp.orf_token_rx", 16));
		assertThat(read(value).getLong(40)).isEqualTo(7);
		assertThat(error(answer(CmapRequests.get("totem.token", 16)))).isEqualTo(CsError.NOT_EXIST.code());
		assertThat(error(answer(CmapRequests.set("stats.srp.orf_token_rx", U64, le(1, 8))))).isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.set("totem.token", U32, le(1, 4))))).isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.delete("stats.clear.all")))).isEqualTo(CsError.NOT_SUPPORTED.code());
		assertThat(error(answer(CmapRequests.set("stats.clear.all", U8, new byte[1])))).isEqualTo(CsError.NOT_SUPPORTED.code());
		assertThat(error(answer(CmapRequests.adjust("stats.srp.orf_token_rx", 1)))).isEqualTo(CsError.ACCESS.code());
		assertThat(error(answer(CmapRequests.setCurrentMap(2)))).isEqualTo(CsError.NOT_EXIST.code());
		assertThat(error(answer(CmapRequests.setCurrentMap(0)))).isEqualTo(OK);
		assertThat(error(answer(CmapRequests.get("totem.token", 16)))).isEqualTo(OK);
	}

	@Test
	void aTrackedStatisticReportsItsChangeAsTheDaemonsUpdaterDoes() throws Exception {
		answer(CmapRequests.setCurrentMap(1));
		assertThat(error(answer(CmapRequests.trackAdd("stats.", 4 | 8, 9)))).as("a prefix only for adds and deletes")
			.isEqualTo(CsError.NOT_SUPPORTED.code());
		long track = handle(answer(CmapRequests.trackAdd("stats.srp.orf_token_rx", 2, 0x77)));
		this.tokens.set(8);
		Await.until("the change reported", Duration.ofSeconds(10), () -> events() > 0);
		ByteBuffer event = read(this.connection.events.get(0));
		assertThat(event.getLong(24)).isEqualTo(0x77);
		assertThat(event.getInt(296)).isEqualTo(2);
		assertThat(new byte[] { event.get(304), event.get(312) }).containsExactly(U64, U64);
		assertThat(new long[] { event.getLong(336), event.getLong(344) }).as("new and old are both the new value")
			.containsExactly(8, 8);
		assertThat(error(answer(CmapRequests.trackDelete(track)))).isEqualTo(OK);
	}

	@Test
	void requestsItCannotTakeGetTheDaemonsRefusal() {
		this.session.request(10, CmapRequests.setCurrentMap(0).setIntLE(0, 10));
		ByteBuf shortSet = CmapRequests.set("t.x", U8, new byte[1]).slice(0, 200);
		this.session.request(0, shortSet);
		ByteBuf lying = CmapRequests.set("t.x", U8, new byte[1]);
		lying.setLongLE(280, 2);
		this.session.request(0, lying);
		assertThat(this.connection.responses).hasSize(3).allSatisfy((answer) -> assertThat(
				new int[] { id(answer), size(answer), error(answer) }).containsExactly(0, 24, CsError.INVALID_PARAM.code()));
		assertThat(this.cmap.get("t.x")).isEmpty();
	}

	@Test
	void aComputedValueThatCannotBeReadIsRefusedAndTheConnectionGoesOn() {
		this.cmap.registerComputed("runtime.broken.", () -> {
			throw new IllegalStateException("the event loop of node 1 did not respond in 10 s");
		});
		byte[] refused = answer(CmapRequests.get("runtime.broken.x", 8));
		assertThat(new int[] { id(refused), size(refused), error(refused) }).containsExactly(2, 40, CsError.LIBRARY.code());
		assertThat(error(answer(CmapRequests.iterInit("runtime.")))).isEqualTo(CsError.LIBRARY.code());
		assertThat(error(answer(CmapRequests.get("totem.token", 8)))).isEqualTo(OK);
	}

	@Test
	void requestsWaitForAnAnswerBeingRead() {
		List<Runnable> held = new ArrayList<>();
		IpcSession waiting = new CmapIpcService(this.cmap, held::add).connected(this.connection);
		waiting.request(2, CmapRequests.get("runtime.services.cpg.service_id", 8));
		waiting.request(4, CmapRequests.iterInit("totem."));
		waiting.request(0, CmapRequests.set("t.x", U8, new byte[] { 1 }));
		assertThat(this.connection.responses).as("a computed value is read elsewhere").isEmpty();
		assertThat(this.cmap.get("t.x")).as("the set waits its turn").isEmpty();
		held.remove(0).run();
		assertThat(this.connection.responses).extracting(CmapRequests::id).containsExactly(2);
		assertThat(read(this.connection.responses.get(0)).getShort(40)).isEqualTo((short) 2);
		held.remove(0).run();
		assertThat(this.connection.responses).extracting(CmapRequests::id).containsExactly(2, 4, 0);
		assertThat(this.cmap.getLong("t.x")).contains(1L);
		assertThat(held).isEmpty();

		waiting.request(2, CmapRequests.get("runtime.services.cpg.service_id", 0));
		waiting.closed();
		held.remove(0).run();
		assertThat(this.connection.responses).as("nothing to a client gone").hasSize(3);
	}

	private int events() {
		synchronized (this.connection) {
			return this.connection.events.size();
		}
	}

	/** Sends a request and returns its one answer. */
	private byte[] answer(ByteBuf request) {
		int before = this.connection.responses.size();
		try {
			this.session.request(IpcMessages.requestId(request), request);
		}
		finally {
			request.release();
		}
		assertThat(this.connection.responses).hasSize(before + 1);
		return this.connection.responses.get(before);
	}

	private static byte[] le(long value, int size) {
		ByteBuffer out = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
		return java.util.Arrays.copyOf(out.array(), size);
	}

}
