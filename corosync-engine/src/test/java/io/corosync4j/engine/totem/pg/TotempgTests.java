package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.RingId;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

class TotempgTests {

	private final FakeQueue queue = new FakeQueue(100);

	private final Totempg totempg = new Totempg(1410, 100);

	private final List<String> received = new ArrayList<>();

	TotempgTests() {
		this.totempg.bind(this.queue);
	}

	@Test
	void messagesReachTheHandlesThatJoinedTheirGroup() {
		Totempg.Handle services = this.totempg.register(listener("services")).join(Group.SERVICES);
		this.totempg.register(listener("sync")).join(Group.SYNC);
		assertThat(services.mcast(new byte[] { 1, 2 }, new byte[] { 3 })).isTrue();
		assertThat(this.queue.sent).isEmpty();
		this.totempg.tokenReceived();
		assertThat(this.queue.sent).singleElement().satisfies((frame) ->
		// header, length table, then group count 1, length 1, "a", the payload
		assertThat(frame).containsExactly(0, 0, 0, 0, 0, 0, 1, 0, 8, 0, 1, 0, 1, 0, 'a', 1, 2, 3));
		this.totempg.deliver(9, this.queue.sent.get(0), false);
		assertThat(this.received).containsExactly("services from 9: [1, 2, 3]");
	}

	@Test
	void messagesOfNoJoinedGroupAreCountedAndDropped() {
		this.totempg.register(listener("sync")).join(Group.SYNC);
		Totempg other = new Totempg(1410, 100);
		FakeQueue otherQueue = new FakeQueue(100);
		other.bind(otherQueue);
		other.register(listener("x")).join(new Group("ykd")).mcast(new byte[] { 7 });
		other.tokenReceived();
		this.totempg.deliver(2, otherQueue.sent.get(0), false);
		assertThat(this.received).isEmpty();
		assertThat(this.totempg.droppedUnknownGroup()).isEqualTo(1);
		// a group header that claims more than the message holds
		this.totempg.deliver(2, new byte[] { 0, 0, 0, 0, 0, 0, 1, 0, 4, 0, 1, 0, 9, 0 }, false);
		assertThat(this.totempg.droppedUnknownGroup()).isEqualTo(2);
	}

	@Test
	void bigEndianOriginatorsAreRead() {
		this.totempg.register(listener("services")).join(Group.SERVICES);
		byte[] frame = { 0, 0, 0, 0, 0, 0, 0, 1, 0, 6, 0, 1, 0, 1, 'a', 5 };
		this.totempg.deliver(4, frame, true);
		assertThat(this.received).containsExactly("services from 4: [5]");
	}

	@Test
	void aFullQueueRefusesTheMessageInsteadOfQueueingIt() {
		Totempg.Handle handle = this.totempg.register(listener("services")).join(Group.SERVICES);
		this.queue.free = 2;
		// 1410 − 24 = 1386 bytes per frame: 3000 bytes need 3 frames
		assertThat(handle.mcast(new byte[3000])).isFalse();
		assertThat(this.queue.sent).isEmpty();
		this.queue.free = 3;
		assertThat(handle.mcast(new byte[3000])).isTrue();
		assertThat(this.queue.signals).isEqualTo(2);
	}

	@Test
	void reservationsPromiseQueueRoomAndRefuseWhatCanNeverFit() {
		Totempg.Handle handle = this.totempg.register(listener("services")).join(Group.SERVICES);
		List<Integer> levels = new ArrayList<>();
		handle.onQueueLevel(levels::add);
		assertThat(this.totempg.sizeLimit()).isEqualTo(99L * 1386);
		assertThat(handle.reserve(this.totempg.sizeLimit())).isEqualTo(-1);
		assertThat(handle.reserve(2000)).isEqualTo(2);
		this.queue.free = 1;
		assertThat(handle.reserve(2000)).isZero();
		assertThat(handle.queueLevel()).isEqualTo(Totempg.QueueLevel.CRITICAL);
		assertThat(levels).containsExactly(Totempg.QueueLevel.CRITICAL.ordinal());
		handle.release(2);
	}

	@Test
	void configurationChangesReachEveryHandleAndDropWhatLeftNodesWereSending() {
		Totempg.Handle handle = this.totempg.register(listener("services")).join(Group.SERVICES);
		handle.mcast(new byte[2000]);
		byte[] head = this.queue.sent.get(0);
		this.totempg.deliver(3, head, false);
		this.totempg.configurationChange(new ConfigurationChange(ConfigurationType.TRANSITIONAL, List.of(1L), List.of(3L),
				List.of(), new RingId(1, 8)));
		this.totempg.tokenReceived();
		this.totempg.deliver(3, this.queue.sent.get(1), false);
		assertThat(this.received).containsExactly("services saw TRANSITIONAL [1]");
	}

	@Test
	void whatIsStagedLeavesWithTheOldRingEvenWhenTheQueueIsFull() {
		Totempg.Handle handle = this.totempg.register(listener("services")).join(Group.SERVICES);
		// a cut message is queued at once; a small message stays staged for the next token
		handle.mcast(new byte[2000]);
		handle.mcast(new byte[] { 7 });
		assertThat(this.queue.sent).hasSize(2);
		this.queue.free = 0;
		this.totempg.configurationChange(new ConfigurationChange(ConfigurationType.TRANSITIONAL, List.of(1L), List.of(),
				List.of(), new RingId(1, 8)));
		// queued behind the others, not at the next ring's first token (into its synchronization queue)
		assertThat(this.queue.sent).hasSize(3);
		assertThat(this.queue.regardless).isEqualTo(1);
		for (byte[] frame : this.queue.sent) {
			this.totempg.deliver(1, frame, false);
		}
		assertThat(this.received).last().isEqualTo("services from 1: [7]");
	}

	private Totempg.GroupListener listener(String name) {
		return new Totempg.GroupListener() {

			@Override
			public void deliver(long nodeid, byte[] message, boolean bigEndian) {
				List<Integer> values = new ArrayList<>();
				for (byte value : message) {
					values.add((int) value);
				}
				TotempgTests.this.received.add(name + " from " + nodeid + ": " + values);
			}

			@Override
			public void configurationChange(ConfigurationChange change) {
				TotempgTests.this.received.add(name + " saw " + change.type() + " " + change.members());
			}

		};
	}

	private static final class FakeQueue implements Totempg.OrderedQueue {

		final List<byte[]> sent = new ArrayList<>();

		int free;

		int signals;

		int regardless;

		FakeQueue(int free) {
			this.free = free;
		}

		@Override
		public int available() {
			return this.free;
		}

		@Override
		public boolean mcast(byte[] payload) {
			if (this.free == 0) {
				return false;
			}
			this.sent.add(payload);
			return true;
		}

		@Override
		public boolean mcastRegardless(byte[] payload) {
			this.regardless++;
			this.sent.add(payload);
			return true;
		}

		@Override
		public void signalNewMessage() {
			this.signals++;
		}

		@Override
		public byte @Nullable [] nextNormal() {
			return null;
		}

		@Override
		public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
			return false;
		}

	}

}
