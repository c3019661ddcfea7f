package io.corosync4j.benchmarks;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jgroups.Address;
import org.jgroups.BytesMessage;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.Receiver;
import org.jgroups.blocks.MethodCall;
import org.jgroups.blocks.RequestOptions;
import org.jgroups.blocks.RpcDispatcher;

/**
 * One JGroups member of the message benchmark, driven by {@link MessageBenchmark}
 * ({@link MessageMember}'s commands): {@code JGroupsMessageMember CONFIG.xml MEMBERS INDEX}, on the
 * suite's total-order stack ({@link Peers#jgroupsConfig}, SEQUENCER). JGroups has no message queues; the
 * closest thing a JGroups user builds, and what this member is:
 *
 * <ul>
 * <li>A queue group with round robin over the total-order channel: a send is a multicast every member
 * delivers in the total order and holds until it is acknowledged; each member advances one cursor over
 * the view's members at every message, so all pick the same consumer for it, in turn; that consumer
 * handles it and multicasts an acknowledgement, at whose delivery every member drops it. A send completes
 * when its message comes back to its sender (it is in the order; JGroups has no counterpart of Totem's
 * safe delivery), an acknowledgement when it comes back to the consumer.</li>
 * <li>Request/reply: {@link RpcDispatcher} synchronous calls from this member to member 1's
 * {@link Server#echo}, which returns the request's bytes, on a second channel of the same stack (another
 * multicast port): a dispatcher takes its channel's messages for itself.</li>
 * </ul>
 */
public final class JGroupsMessageMember {

	static final int ACK = 3;

	private JGroupsMessageMember() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length != 3) {
			System.err.println("usage: JGroupsMessageMember CONFIG.xml MEMBERS INDEX");
			System.exit(2);
		}
		int members = Integer.parseInt(args[1]);
		int index = Integer.parseInt(args[2]);
		MessageMember.Counter counter = new MessageMember.Counter();
		// the calls go on a channel of their own (the same stack, another multicast port): a dispatcher takes
		// every message of its channel for itself
		String calls = Files.readString(Path.of(args[0])).replace("mcast_port=\"45588\"", "mcast_port=\"45589\"");
		try (JChannel channel = new JChannel(args[0]);
				JChannel rpc = new JChannel(new ByteArrayInputStream(calls.getBytes(StandardCharsets.UTF_8)))) {
			channel.setName("member-" + index);
			channel.setDiscardOwnMessages(false);
			ChannelQueues queues = new ChannelQueues(channel, counter);
			channel.setReceiver(queues);
			channel.connect("msg_bm");
			queues.local = channel.getAddress();
			rpc.setName("member-" + index);
			RpcDispatcher dispatcher = new RpcDispatcher(rpc, new Server());
			queues.dispatcher = dispatcher;
			rpc.connect("rpc_bm");
			JGroupsEventMember.awaitView(channel, members);
			JGroupsEventMember.awaitView(rpc, members);
			boolean coordinator = channel.getAddress().equals(channel.getView().getCoord());
			MessageMember.serve(queues, counter, "member-" + index, coordinator);
			dispatcher.close();
		}
		System.exit(0);
	}

	/** Member 1's request handler. */
	public static final class Server {

		public byte[] echo(byte[] request) {
			return request;
		}

	}

	/** The round-robin group on the total-order channel, and the calls to member 1. */
	static final class ChannelQueues implements MessageMember.Queues, Receiver {

		private static final Method ECHO;

		static {
			try {
				ECHO = Server.class.getMethod("echo", byte[].class);
			}
			catch (NoSuchMethodException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final JChannel channel;

		private final MessageMember.Counter counter;

		/** This member's sends not yet delivered back to it, oldest first (its own come back in send order). */
		private final Queue<CompletableFuture<Void>> outstanding = new ConcurrentLinkedQueue<>();

		/** Every message not yet acknowledged, as every member holds it, by run, sender and sequence. */
		private final Map<Long, byte[]> held = new HashMap<>();

		/** The round-robin cursor: every member advances it at every message, in the total order. */
		private long cursor;

		/** Sends the acknowledgements off the delivery thread (a send may wait for flow-control credits). */
		private final ExecutorService acknowledging = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "acknowledging");
			thread.setDaemon(true);
			return thread;
		});

		/** Threads making synchronous calls: the window of outstanding calls is that many threads. */
		private final ExecutorService callers = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "caller");
			thread.setDaemon(true);
			return thread;
		});

		volatile RpcDispatcher dispatcher;

		volatile Address local;

		private volatile Address server;

		ChannelQueues(JChannel channel, MessageMember.Counter counter) {
			this.channel = channel;
			this.counter = counter;
		}

		@Override
		public CompletableFuture<Void> send(byte[] message) {
			CompletableFuture<Void> sent = new CompletableFuture<>();
			synchronized (this.outstanding) {
				this.outstanding.add(sent);
				try {
					this.channel.send(new BytesMessage(null, message));
				}
				catch (Exception ex) {
					this.outstanding.remove(sent);
					sent.completeExceptionally(ex);
				}
			}
			return sent;
		}

		@Override
		public CompletableFuture<Void> request(byte[] message) {
			return CompletableFuture.runAsync(() -> {
				try {
					requestNow(message);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}, this.callers);
		}

		/** A synchronous call on the caller's thread. */
		@Override
		public void requestNow(byte[] message) throws Exception {
			byte[] reply = this.dispatcher.callRemoteMethod(server(), new MethodCall(ECHO, (Object) message),
					RequestOptions.SYNC().timeout(TimeUnit.SECONDS.toMillis(EventMember.BOUND_SECONDS)));
			if (reply == null || reply.length != message.length) {
				throw new IllegalStateException("no reply, or not the request's bytes");
			}
		}

		private Address server() {
			Address found = this.server;
			if (found == null) {
				List<Address> members = this.dispatcher.getChannel().getView().getMembers();
				found = members.stream().filter((a) -> "member-1".equals(String.valueOf(a))).findFirst()
					.orElseThrow(() -> new IllegalStateException("member-1 is not in the view " + members));
				this.server = found;
			}
			return found;
		}

		@Override
		public void receive(Message message) {
			byte[] bytes = message.getArray();
			if (message.getOffset() != 0 || message.getLength() != bytes.length) {
				bytes = java.util.Arrays.copyOfRange(bytes, message.getOffset(), message.getOffset() + message.getLength());
			}
			ByteBuffer in = ByteBuffer.wrap(bytes);
			if (bytes.length < 32 || in.getInt(0) != EventMember.MAGIC) {
				return;
			}
			boolean mine = this.local != null && this.local.equals(message.getSrc());
			long key = ((long) in.getInt(8) << 48) ^ ((long) in.getInt(12) << 40) ^ in.getLong(16);
			if (in.getInt(4) == ACK) {
				synchronized (this.held) {
					this.held.remove(key);
				}
				if (mine) {
					this.counter.done(bytes);
				}
				return;
			}
			Address consumer;
			synchronized (this.held) {
				this.held.put(key, bytes);
				List<Address> members = this.channel.getView().getMembers();
				consumer = members.get((int) (this.cursor++ % members.size()));
			}
			if (mine) {
				CompletableFuture<Void> sent = this.outstanding.poll();
				if (sent != null) {
					sent.complete(null);
				}
			}
			if (consumer.equals(this.local)) {
				this.counter.handled(bytes);
				byte[] ack = bytes.clone();
				ByteBuffer.wrap(ack).putInt(4, ACK);
				this.acknowledging.execute(() -> {
					try {
						this.channel.send(new BytesMessage(null, ack));
					}
					catch (Exception ex) {
						System.out.println("FAILED: acknowledging: " + ex);
						System.out.flush();
					}
				});
			}
		}

	}

}
