package io.corosync4j.benchmarks;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;

/**
 * One JGroups member that prints {@code ring <epoch µs> <members>} each time it installs a view, until it
 * is killed: {@link Failover}'s probe for JGroups, as {@link FailoverProbe} is for corosync4j. A view is
 * where JGroups tells its application of a membership change, as a synchronized ring is for CPG.
 */
public final class JGroupsFailoverProbe {

	private JGroupsFailoverProbe() {
	}

	/** {@code JGroupsFailoverProbe CONFIG.xml}. */
	public static void main(String[] args) throws Exception {
		JChannel channel = new JChannel(Path.of(args[0]).toString());
		channel.setReceiver(new Receiver() {

			@Override
			public void viewAccepted(View view) {
				Instant now = Instant.now();
				System.out.println("ring " + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1000) + " " + view.size());
				System.out.flush();
			}

		});
		channel.connect("failover");
		Runtime.getRuntime().addShutdownHook(new Thread(channel::close));
		new CountDownLatch(1).await();
	}

}
