package io.corosync4j.engine.totem.wire;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Seeds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/** The six Totem messages: {@link TotemCodec#decode} returns a message or a {@link Rejection}. */
public final class WireFuzzTargets {

	private WireFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(FuzzTarget.of("totem", "TotemCodec.decode(ByteBuf): a TotemMessage or a Rejection",
				seeds(), WireFuzzTargets::decode));
	}

	private static List<byte[]> seeds() {
		List<byte[]> seeds = new ArrayList<>(Seeds.udpuPackets());
		RingId ring = new RingId(1, 8);
		seeds.add(TotemCodec.encode(new MembJoin(1, 0, 1, List.of(1L, 2L, 3L), List.of(4L), 8)));
		seeds.add(TotemCodec.encode(new OrfToken(1, 2, 10, 3, 9, 2, ring, 0, 1, 0,
				List.of(new RtrItem(ring, 10), new RtrItem(ring, 11)))));
		seeds.add(TotemCodec.encode(new MembMergeDetect(1, 0, 1, ring)));
		seeds.add(TotemCodec.encode(new TokenHoldCancel(1, 0, ring)));
		Mcast inner = new Mcast(2, 0, Mcast.REGULAR, 2, 5, 5, ring, 0, 0, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0 }, true);
		seeds.add(TotemCodec.encode(new Mcast(1, 0, Mcast.ENCAPSULATED, 1, 1, 1, new RingId(1, 12), 0, 0,
				TotemCodec.encode(inner))));
		return seeds;
	}

	private static boolean decode(byte[] input) {
		// an offset into a larger buffer, as the transport hands datagrams over
		ByteBuf buffer = Unpooled.buffer(input.length + 3);
		buffer.writeBytes(new byte[] { 9, 9, 9 }).writeBytes(input).readerIndex(3);
		DecodeResult result = TotemCodec.decode(buffer);
		if (result instanceof Mcast mcast && mcast.isEncapsulated()) {
			mcast.inner();
		}
		return result instanceof TotemMessage;
	}

}
