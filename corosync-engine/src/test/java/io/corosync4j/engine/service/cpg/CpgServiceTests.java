package io.corosync4j.engine.service.cpg;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.cmap.Cmap;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CPG engine fed with wire messages directly: the delivery rules of {@code exec/cpg.c}.
 */
class CpgServiceTests {

	private static final CpgName GROUP = CpgName.of("g");

	private final List<byte[]> sent = new ArrayList<>();

	private final List<String> seen = new ArrayList<>();

	private final CpgService cpg = new CpgService(CpgService.DEFAULT_QUEUE_CAPACITY, 100);

	private final Cmap cmap = new Cmap();

	private boolean asCorosync;

	private final List<Runnable> sendable = new ArrayList<>();

	private boolean tokenReturns;

	/** Tasks given to the loop (which runs them at once): each a wake-up on a real node. */
	private int tasks;

	/** When set, the loop keeps its tasks here instead of running them. */
	private @Nullable List<Runnable> deferred;

	CpgServiceTests() {
		this.cpg.start(new ServiceContext() {

			@Override
			public long nodeId() {
				return 1;
			}

			@Override
			public boolean mcast(byte[]... pieces) {
				CpgServiceTests.this.sent.add(pieces[0]);
				return true;
			}

			@Override
			public boolean synchronizing() {
				return false;
			}

			@Override
			public void whenSendable(Runnable task) {
				CpgServiceTests.this.sendable.add(task);
			}

			@Override
			public boolean tokenReturns() {
				return CpgServiceTests.this.tokenReturns;
			}

			@Override
			public Runnable schedule(long delayMillis, Runnable task) {
				throw new UnsupportedOperationException("CPG sets no timers");
			}

			@Override
			public Cmap cmap() {
				return CpgServiceTests.this.cmap;
			}

			@Override
			public boolean asCorosync() {
				return CpgServiceTests.this.asCorosync;
			}

			@Override
			public void requestShutdown(String reason, int exitStatus) {
				throw new AssertionError(reason);
			}

			@Override
			public Executor loop() {
				return (task) -> {
					CpgServiceTests.this.tasks++;
					List<Runnable> later = CpgServiceTests.this.deferred;
					if (later != null) {
						later.add(task);
					}
					else {
						task.run();
					}
				};
			}

		});
	}

	@Test
	void aMessageAloneWhileTheTokenGoesRoundLeavesAtItsNextVisitWithoutWakingTheLoop() {
		CpgHandle handle = joinLocally();
		int sent = this.sent.size();
		int tasks = this.tasks;
		this.tokenReturns = true;
		assertThat(handle.mcast(new byte[] { 1 })).isEqualTo(CpgHandle.SendResult.OK);
		assertThat(this.tasks).isEqualTo(tasks);
		assertThat(this.sent).hasSize(sent);
		this.sendable.forEach(Runnable::run);
		assertThat(this.sent).hasSize(sent + 1);

		assertThat(handle.mcast(new byte[] { 2 })).isEqualTo(CpgHandle.SendResult.OK);
		assertThat(handle.mcast(new byte[] { 3 })).isEqualTo(CpgHandle.SendResult.OK);
		assertThat(this.tasks).as("a backlog is drained between visits").isEqualTo(tasks + 1);
		assertThat(this.sent).hasSize(sent + 3);

		this.tokenReturns = false;
		assertThat(handle.mcast(new byte[] { 4 })).isEqualTo(CpgHandle.SendResult.OK);
		assertThat(this.tasks).isEqualTo(tasks + 2);
		assertThat(this.sent).hasSize(sent + 4);
	}

	@Test
	void aMulticastRightAfterJoinFollowsTheJoinEvenWhenATokenDrainsTheQueueBeforeTheLoopRunsTheJoin() {
		List<Runnable> later = new ArrayList<>();
		this.deferred = later;
		CpgHandle handle = this.cpg.join(GROUP, recordingListener());
		assertThat(handle.mcast(new byte[] { 7 })).isEqualTo(CpgHandle.SendResult.OK);
		// a token visit, with the join's task still waiting on the loop
		this.sendable.forEach(Runnable::run);
		this.deferred = null;
		later.forEach(Runnable::run);
		assertThat(this.sent).hasSize(2);
		assertThat(this.sent.get(0)).as("the join goes first").hasSize(CpgMessages.PROCJOIN_SIZE);

		// every receiver then knows the process when its message arrives
		this.cpg.deliver(1, CpgMessages.PROCJOIN, this.sent.get(0), false);
		deliver(1, CpgMessages.mcastHeader(GROUP, handle.pid(), 1, 1), new byte[] { 7 });
		assertThat(this.seen).contains("message from 1/" + handle.pid() + ": 1 bytes");
		assertThat(this.cpg.droppedFromUnknownNodes()).isZero();
	}

	@Test
	void messagesFromANodeWithoutAProcessInTheGroupAreDroppedAndCounted() {
		joinLocally();
		deliver(9, CpgMessages.mcastHeader(GROUP, 900, 9, 2), new byte[] { 4, 2 });
		assertThat(this.seen).noneMatch((event) -> event.startsWith("message"));
		assertThat(this.cpg.droppedFromUnknownNodes()).isEqualTo(1);

		this.cpg.deliver(9, CpgMessages.PROCJOIN, CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, GROUP, 900,
				CpgReason.JOIN), false);
		deliver(9, CpgMessages.mcastHeader(GROUP, 900, 9, 2), new byte[] { 4, 2 });
		assertThat(this.seen).contains("message from 9/900: 2 bytes");
	}

	@Test
	void groupsAreMatchedByTheWholeName() {
		joinLocally();
		CpgName longer = CpgName.of("gx");
		CpgName other = CpgName.of("h");
		// node 9's only process is in "gx": a name that starts with the local handle's
		this.cpg.deliver(9, CpgMessages.PROCJOIN, CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, longer, 900,
				CpgReason.JOIN), false);
		deliver(9, CpgMessages.mcastHeader(longer, 900, 9, 1), new byte[] { 1 });
		deliver(9, CpgMessages.mcastHeader(other, 900, 9, 1), new byte[] { 1 });
		assertThat(this.seen).noneMatch((event) -> event.startsWith("message"));
		assertThat(this.cpg.droppedFromUnknownNodes()).isZero();

		deliver(9, CpgMessages.mcastHeader(GROUP, 900, 9, 1), new byte[] { 1 });
		assertThat(this.seen).noneMatch((event) -> event.startsWith("message"));
		assertThat(this.cpg.droppedFromUnknownNodes()).isEqualTo(1);
	}

	@Test
	void aMulticastWhoseLengthDisagreesWithItsHeaderIsCountedNotDelivered() {
		joinLocally();
		deliver(1, CpgMessages.mcastHeader(GROUP, 100, 1, 5), new byte[] { 1, 2 });
		assertThat(this.cpg.malformedMessages()).isEqualTo(1);
		assertThat(this.seen).noneMatch((event) -> event.startsWith("message"));
	}

	@Test
	void theFirstPieceOfAPartialMulticastDoesNotMakeTheReceiverAllocateTheWholeMessage() {
		// found by FuzzMain (seed 20261205, target cpg, input 817534): a 204-byte first piece from node 2,
		// pid 900, claiming a 12,517,388-byte message, made the receiver allocate all of it at once
		joinLocally();
		this.cpg.deliver(2, CpgMessages.PROCJOIN, CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, GROUP, 900,
				CpgReason.JOIN), false);
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		long before = threads.getCurrentThreadAllocatedBytes();
		deliver(2, CpgMessages.partialHeader(GROUP, 900, 2, 12_517_388, 4, CpgMessages.PARTIAL_FIRST),
				new byte[] { 1, 2, 3, 4 });
		deliver(2, CpgMessages.partialHeader(GROUP, 900, 2, CpgService.MAX_PARTIAL_MESSAGE, 4,
				CpgMessages.PARTIAL_FIRST), new byte[] { 1, 2, 3, 4 });
		assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(1024 * 1024);
		assertThat(this.cpg.malformedMessages()).isZero();
	}

	@Test
	void aPartialMulticastIsDeliveredWholeOnlyFromItsFirstPiece() {
		joinLocally();
		byte[] first = { 1, 2, 3 };
		byte[] last = { 4, 5 };
		// a receiver that missed the first piece drops the rest
		deliver(1, CpgMessages.partialHeader(GROUP, 100, 1, 5, 2, CpgMessages.PARTIAL_LAST), last);
		deliver(1, CpgMessages.partialHeader(GROUP, 100, 1, 5, 3, CpgMessages.PARTIAL_FIRST), first);
		deliver(1, CpgMessages.partialHeader(GROUP, 100, 1, 5, 2, CpgMessages.PARTIAL_LAST), last);
		assertThat(this.seen).filteredOn((event) -> event.startsWith("message"))
			.containsExactly("message from 1/100: 5 bytes");
	}

	@Test
	void theOwnJoinCompletesTheHandleAndAProcessDownIsReported() {
		CpgHandle handle = joinLocally();
		assertThat(handle.joined().toCompletableFuture()).isCompleted();
		assertThat(this.sent.get(0)).hasSize(CpgMessages.PROCJOIN_SIZE);
		this.cpg.deliver(9, CpgMessages.PROCJOIN, CpgMessages.procJoinOrLeave(CpgMessages.PROCJOIN, GROUP, 900,
				CpgReason.JOIN), false);
		this.cpg.deliver(9, CpgMessages.PROCLEAVE, CpgMessages.procJoinOrLeave(CpgMessages.PROCLEAVE, GROUP, 900,
				CpgReason.PROCDOWN), false);
		assertThat(this.seen).last().isEqualTo("change members [1/100] left [9/900/PROCDOWN] joined []");
		assertThat(handle.membership()).containsExactly(new CpgAddress(1, 100, CpgReason.UNDEFINED));
	}

	@Test
	void aJoinlistOfAnOlderRingIsNotAppliedToTheNextRound() {
		joinlistsOfTwoIncarnationsAroundAnAbortedRound();
		assertThat(this.seen).last().isEqualTo("change members [1/100, 4/401] left [] joined [4/401/NODEUP]");
	}

	@Test
	void aNodePlayingCorosyncAppliesAJoinlistOfAnOlderRingAsCorosyncDoes() {
		this.asCorosync = true;
		joinlistsOfTwoIncarnationsAroundAnAbortedRound();
		assertThat(this.seen).last()
			.isEqualTo("change members [1/100, 4/400, 4/401] left [] joined [4/401/NODEUP, 4/400/NODEUP]");
	}

	@Test
	void aNodeSeparatedDuringAbortedRoundsIsReportedDownByCorosync4jInAnyRing() {
		for (boolean corosync4j : new boolean[] { true, false }) {
			CpgServiceTests tests = new CpgServiceTests();
			tests.asCorosync = !corosync4j;
			tests.joinLocally();
			tests.cpg.init(List.of(1L), List.of(1L, 4L), new RingId(1, 4));
			tests.cpg.deliver(4, CpgMessages.JOINLIST, CpgMessages.joinList(List.of(new CpgAddress(4, 400,
					CpgReason.UNDEFINED)), List.of(GROUP)), false);
			tests.cpg.activate();
			// node 4 was apart from node 1 in a ring whose synchronization was aborted: the narrowed
			// transitional list lacks it, Corosync's latest one has it
			tests.cpg.init(List.of(1L), List.of(1L, 4L), List.of(1L, 4L), new RingId(1, 12));
			tests.cpg.deliver(4, CpgMessages.JOINLIST, CpgMessages.joinList(List.of(new CpgAddress(4, 400,
					CpgReason.UNDEFINED)), List.of(GROUP)), false);
			tests.seen.clear();
			tests.cpg.activate();
			if (corosync4j) {
				assertThat(tests.seen).containsExactly("change members [1/100] left [4/400/NODEDOWN] joined []",
						"change members [1/100, 4/400] left [] joined [4/400/NODEUP]");
			}
			else {
				assertThat(tests.seen).as("Corosync hides the separation").isEmpty();
			}
		}
	}

	/**
	 * Node 4's previous incarnation announced pid 400, in a list that arrives after its round was aborted;
	 * the next round brings the new incarnation's pid 401.
	 */
	private void joinlistsOfTwoIncarnationsAroundAnAbortedRound() {
		joinLocally();
		this.cpg.init(List.of(1L, 4L), List.of(1L, 4L), new RingId(1, 8));
		this.cpg.abort();
		this.cpg.deliver(4, CpgMessages.JOINLIST, CpgMessages.joinList(List.of(new CpgAddress(4, 400,
				CpgReason.UNDEFINED)), List.of(GROUP)), false);
		this.cpg.init(List.of(1L), List.of(1L, 4L), new RingId(1, 12));
		this.cpg.deliver(4, CpgMessages.JOINLIST, CpgMessages.joinList(List.of(new CpgAddress(4, 401,
				CpgReason.UNDEFINED)), List.of(GROUP)), false);
		this.cpg.activate();
	}

	/** Writes what it is given to {@code seen}. */
	private CpgListener recordingListener() {
		return new CpgListener() {

			@Override
			public void deliver(CpgName group, long nodeid, long pid, byte[] message) {
				CpgServiceTests.this.seen.add("message from " + nodeid + "/" + pid + ": " + message.length + " bytes");
			}

			@Override
			public void configurationChange(CpgConfigurationChange change) {
				CpgServiceTests.this.seen.add("change members " + change.members() + " left " + change.left()
						+ " joined " + change.joined());
			}

		};
	}

	private CpgHandle joinLocally() {
		CpgHandle handle = this.cpg.join(GROUP, recordingListener());
		// the ring delivers the handle's own procjoin back
		this.cpg.deliver(1, CpgMessages.PROCJOIN, this.sent.get(0), false);
		return handle;
	}

	private void deliver(long nodeid, byte[] header, byte[] data) {
		byte[] message = new byte[header.length + data.length];
		System.arraycopy(header, 0, message, 0, header.length);
		System.arraycopy(data, 0, message, header.length, data.length);
		int function = header[0] & 0xFF;
		this.cpg.deliver(nodeid, function, message, false);
	}

}
