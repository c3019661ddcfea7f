package io.corosync4j.engine.totem.pg;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import io.corosync4j.engine.totem.srp.ConfigurationChange;
import io.corosync4j.engine.totem.srp.ConfigurationType;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message of node 1 cut by a membership change: the old ring carried its start to the members that
 * stay, and a member that joins never saw it. What each of them delivers in the new ring, by what the
 * sender and the ring do.
 */
class CutMessageTests {

	private static final Group GROUP = new Group("g");

	enum Ring {

		/** The sender behaves as a Corosync daemon: it finishes the chain. */
		COROSYNC,

		/** A corosync4j sender beside Corosync daemons: receivers keep Corosync's rule. */
		MIXED,

		/** Every member is a corosync4j node: the agreed rule. */
		COROSYNC4J

	}

	private final NormalQueue queue = new NormalQueue();

	private final Totempg sender = new Totempg(58, 100);

	private final Member stayed = new Member();

	private final Member joined = new Member();

	@ParameterizedTest
	@EnumSource(Ring.class)
	void everyMemberDeliversTheCutMessageOnceUnlessTheSenderIsCorosync(Ring ring) {
		this.sender.bind(this.queue);
		Totempg.Handle handle = this.sender.register(new Member().listener()).join(GROUP);
		assertThat(handle.mcast(filled(20, 1))).isTrue();
		assertThat(handle.mcast(filled(130, 2))).isTrue();
		assertThat(handle.mcast(filled(10, 3))).isTrue();
		assertThat(handle.mcast(filled(12, 4))).isTrue();
		// the old ring carried the first two frames to the member that stays
		for (int i = 0; i < 2; i++) {
			this.stayed.receive(this.queue.frames.pollFirst());
		}
		assertThat(this.stayed.delivered).containsExactly(20);
		RingId ring2 = new RingId(1, 8);
		this.sender.configurationChange(new ConfigurationChange(ConfigurationType.TRANSITIONAL, List.of(1L, 2L),
				List.of(), List.of(), ring2));
		this.sender.configurationChange(new ConfigurationChange(ConfigurationType.REGULAR, List.of(1L, 2L, 3L),
				List.of(), List.of(3L), ring2));
		boolean corosync4jOnly = ring == Ring.COROSYNC4J;
		this.sender.synchronizationCompleted(corosync4jOnly, ring != Ring.COROSYNC);
		this.stayed.totempg.synchronizationCompleted(corosync4jOnly, true);
		this.joined.totempg.synchronizationCompleted(corosync4jOnly, true);
		while (!this.queue.frames.isEmpty()) {
			byte[] frame = this.queue.frames.pollFirst();
			this.stayed.receive(frame);
			this.joined.receive(frame);
		}
		if (ring == Ring.COROSYNC) {
			// Corosync's own case: the member with the start finishes it, the other throws it away (and
			// with it whatever shares its frames until the throw-away ends)
			assertThat(this.stayed.delivered).containsExactly(20, 130, 10, 12);
			assertThat(this.joined.delivered).doesNotContain(130);
		}
		else {
			assertThat(this.stayed.delivered).containsExactly(20, 130, 10, 12);
			assertThat(this.joined.delivered).containsExactly(130, 10, 12);
			assertThat(this.sender.resent()).isOne();
		}
	}

	private static byte[] filled(int length, int value) {
		byte[] bytes = new byte[length];
		java.util.Arrays.fill(bytes, (byte) value);
		return bytes;
	}

	/** A receiving member: its own totempg with a handle in the group. */
	private static final class Member {

		final Totempg totempg = new Totempg(58, 100);

		final List<Integer> delivered = new ArrayList<>();

		Member() {
			this.totempg.register(listener()).join(GROUP);
		}

		Totempg.GroupListener listener() {
			return new Totempg.GroupListener() {

				@Override
				public void deliver(long nodeid, byte[] message, boolean bigEndian) {
					Member.this.delivered.add(message.length);
				}

			};
		}

		void receive(byte[] frame) {
			this.totempg.deliver(1, frame, false);
		}

	}

	/** Totem's normal queue, as far as totempg sees it. */
	private static final class NormalQueue implements Totempg.OrderedQueue {

		final ArrayDeque<byte[]> frames = new ArrayDeque<>();

		@Override
		public int available() {
			return 100 - this.frames.size();
		}

		@Override
		public boolean mcast(byte[] payload) {
			this.frames.addLast(payload);
			return true;
		}

		@Override
		public void signalNewMessage() {
		}

		@Override
		public byte @Nullable [] nextNormal() {
			return this.frames.peekFirst();
		}

		@Override
		public boolean replaceNext(List<byte[]> next, List<byte[]> replacement) {
			Iterator<byte[]> queued = this.frames.iterator();
			for (byte[] expected : next) {
				if (!queued.hasNext() || queued.next() != expected) {
					return false;
				}
			}
			next.forEach((frame) -> this.frames.pollFirst());
			for (int i = replacement.size() - 1; i >= 0; i--) {
				this.frames.addFirst(replacement.get(i));
			}
			return true;
		}

	}

}
