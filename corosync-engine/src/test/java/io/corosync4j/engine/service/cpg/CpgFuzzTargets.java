package io.corosync4j.engine.service.cpg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;

import io.corosync4j.engine.fuzz.FuzzTarget;
import io.corosync4j.engine.fuzz.Records;
import io.corosync4j.engine.fuzz.ServiceSeeds;
import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.ServiceHeader;
import io.corosync4j.engine.service.cmap.Cmap;

/**
 * CPG's messages as the service stack hands them over: a fresh {@link CpgService} with a local process
 * joined to group "g" receives a sequence of messages, each through either delivery path. CPG parses in
 * place and counts what it drops; a partial message is assembled across the sequence.
 */
public final class CpgFuzzTargets {

	private static final CpgName GROUP = CpgName.of("g");

	/** In a record's first byte: the message is big-endian. */
	private static final int BIG_ENDIAN = 0x80;

	/** In a record's first byte: delivered as a view into a larger frame, as totempg does for multicasts. */
	private static final int IN_FRAME = 0x40;

	/** CPG's functions: an unknown one is only logged, which would flood the log of a run. */
	private static final int FUNCTIONS = 7;

	private CpgFuzzTargets() {
	}

	public static List<FuzzTarget> all() {
		return List.of(FuzzTarget.of("cpg", "CpgService.deliver (both paths): messages applied, malformed ones counted",
				seeds(), CpgFuzzTargets::deliver));
	}

	private static List<byte[]> seeds() {
		List<byte[]> seeds = new ArrayList<>();
		for (byte[] captured : ServiceSeeds.of("a", ServiceEngine.CPG)) {
			seeds.add(Records.join(0, List.of(record(2, captured))));
		}
		byte[] join = CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, GROUP, 900, CpgReason.JOIN);
		byte[] data = { 1, 2, 3, 4, 5, 6, 7, 8 };
		seeds.add(Records.join(0, List.of(record(2, join), record(2 | IN_FRAME,
				concat(CpgMessages.mcastHeader(GROUP, 900, 2, data.length), data)))));
		seeds.add(Records.join(0, List.of(record(2, join),
				record(2, concat(CpgMessages.partialHeader(GROUP, 900, 2, 12, 4, CpgMessages.PARTIAL_FIRST),
						Arrays.copyOf(data, 4))),
				record(2, concat(CpgMessages.partialHeader(GROUP, 900, 2, 12, 4, CpgMessages.PARTIAL_CONTINUED),
						Arrays.copyOf(data, 4))),
				record(2 | IN_FRAME, concat(CpgMessages.partialHeader(GROUP, 900, 2, 12, 4, CpgMessages.PARTIAL_LAST),
						Arrays.copyOf(data, 4))))));
		seeds.add(Records.join(0, List.of(
				record(3, CpgMessages.joinList(List.of(new CpgAddress(3, 77, CpgReason.JOIN)), List.of(GROUP))),
				record(3, CpgMessages.downList(3, List.of(4L, 5L))),
				record(2, CpgMessages.procJoinOrLeave(CpgMessages.PROCLEAVE, GROUP, 900, CpgReason.LEAVE)))));
		return seeds;
	}

	private static byte[] record(int control, byte[] message) {
		return concat(new byte[] { (byte) control }, message);
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] out = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, out, first.length, second.length);
		return out;
	}

	private static boolean deliver(byte[] input) {
		CpgService cpg = new CpgService(CpgService.DEFAULT_QUEUE_CAPACITY, 100);
		List<byte[]> sent = new ArrayList<>();
		cpg.start(new Context(sent));
		cpg.join(GROUP, new CpgListener() {

			@Override
			public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
			}

			@Override
			public void configurationChange(CpgConfigurationChange change) {
			}

		});
		// the ring delivers the local procjoin back: the process is in the group from here
		cpg.deliver(1, CpgMessages.PROCJOIN, sent.get(0), false);
		// every sender has a process in the group too: CPG logs each message of an unknown node (once per
		// service), which would be a line per input
		for (int nodeid = 0; nodeid < 16; nodeid++) {
			cpg.deliver(nodeid, CpgMessages.PROCJOIN, CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, GROUP, 900,
					CpgReason.JOIN), false);
		}
		long malformed = cpg.malformedMessages();
		for (byte[] record : Records.split(input)) {
			if (record.length < 1 + ServiceHeader.SIZE) {
				// the service stack drops these before any service sees them
				continue;
			}
			int control = record[0] & 0xFF;
			boolean bigEndian = (control & BIG_ENDIAN) != 0;
			int id = ByteBuffer.wrap(record, 1, 4).order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
				.getInt();
			int function = (id & 0xFFFF) % FUNCTIONS;
			long nodeid = control & 0x0F;
			if ((control & IN_FRAME) != 0) {
				cpg.deliver(nodeid, function, record, 1, record.length - 1, bigEndian);
			}
			else {
				cpg.deliver(nodeid, function, Arrays.copyOfRange(record, 1, record.length), bigEndian);
			}
		}
		return cpg.malformedMessages() == malformed;
	}

	/** A node that runs loop tasks at once and sends into a list. */
	private record Context(List<byte[]> sent) implements ServiceContext {

		@Override
		public long nodeId() {
			return 1;
		}

		@Override
		public boolean mcast(byte[]... pieces) {
			this.sent.add(pieces[0]);
			return true;
		}

		@Override
		public boolean synchronizing() {
			return false;
		}

		@Override
		public void whenSendable(Runnable task) {
		}

		@Override
		public boolean tokenReturns() {
			return false;
		}

		@Override
		public Runnable schedule(long delayMillis, Runnable task) {
			throw new UnsupportedOperationException("CPG sets no timers");
		}

		@Override
		public Cmap cmap() {
			throw new UnsupportedOperationException("not needed by CPG's delivery");
		}

		@Override
		public boolean asCorosync() {
			return false;
		}

		@Override
		public void requestShutdown(String reason, int exitStatus) {
			throw new IllegalStateException("CPG asked to shut down: " + reason);
		}

		@Override
		public Executor loop() {
			return Runnable::run;
		}

	}

}
