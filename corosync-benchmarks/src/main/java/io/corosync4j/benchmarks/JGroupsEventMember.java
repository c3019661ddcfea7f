package io.corosync4j.benchmarks;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;

/**
 * One JGroups member of the event benchmark: a channel on the suite's total-order stack
 * ({@link Peers#jgroupsConfig}, SEQUENCER), each event one multicast every member (this one included)
 * delivers in the total order, driven by {@link EventBenchmark} ({@link EventMember}'s commands):
 * {@code JGroupsEventMember CONFIG.xml MEMBERS}. A publication completes when the channel delivers it
 * back to its publisher, the point where corosync4j's completes (applied on the publishing member).
 */
public final class JGroupsEventMember {

	private JGroupsEventMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 2) {
			System.err.println("usage: JGroupsEventMember CONFIG.xml MEMBERS");
			System.exit(2);
		}
		int members = Integer.parseInt(args[1]);
		EventMember.Counter counter = new EventMember.Counter(System.out);
		try (JChannel channel = new JChannel(args[0])) {
			ChannelBus bus = new ChannelBus(channel, counter);
			channel.setReceiver(bus);
			channel.setDiscardOwnMessages(false);
			channel.connect("evt_bm");
			bus.local = channel.getAddress();
			awaitView(channel, members);
			boolean coordinator = channel.getAddress().equals(channel.getView().getCoord());
			EventMember.serve(bus, counter, "member-" + channel.getAddress(), coordinator);
		}
		System.exit(0);
	}

	static void awaitView(JChannel channel, int members) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EventMember.BOUND_SECONDS);
		while (channel.getView().size() < members) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + channel.getView().size() + " of " + members + " joined");
			}
			Thread.sleep(20);
		}
	}

	/**
	 * Multicasts on the channel, which delivers every member's events in one total order; this member's
	 * own come back in the order it sent them, so the oldest outstanding publication is the one delivered.
	 */
	static final class ChannelBus implements EventMember.Bus, Receiver {

		private final JChannel channel;

		private final EventMember.Counter counter;

		private final Queue<CompletableFuture<Void>> outstanding = new ConcurrentLinkedQueue<>();

		volatile Address local;

		ChannelBus(JChannel channel, EventMember.Counter counter) {
			this.channel = channel;
			this.counter = counter;
		}

		@Override
		public CompletableFuture<Void> publish(byte[] event) {
			CompletableFuture<Void> published = new CompletableFuture<>();
			// queued before the send: the delivery back may come before send returns
			synchronized (this) {
				this.outstanding.add(published);
				try {
					// blocks while flow control holds the sender back
					this.channel.send(new BytesMessage(null, event));
				}
				catch (Exception ex) {
					this.outstanding.remove(published);
					published.completeExceptionally(ex);
				}
			}
			return published;
		}

		@Override
		public void receive(Message message) {
			byte[] event = message.getArray();
			if (message.getOffset() != 0 || message.getLength() != event.length) {
				event = java.util.Arrays.copyOfRange(event, message.getOffset(), message.getOffset() + message.getLength());
			}
			this.counter.delivered(event);
			if (message.getSrc() != null && message.getSrc().equals(this.local)) {
				CompletableFuture<Void> published = this.outstanding.poll();
				if (published != null) {
					published.complete(null);
				}
			}
		}

	}

}
