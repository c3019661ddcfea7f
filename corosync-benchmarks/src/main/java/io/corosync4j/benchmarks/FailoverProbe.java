package io.corosync4j.benchmarks;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import io.corosync4j.engine.config.CorosyncConfig;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.runtime.CorosyncNode;

/**
 * One corosync4j member that prints {@code ring <epoch µs> <node ids>} each time a membership is
 * synchronized (the moment CPG delivers it), until it is killed. {@link Failover} kills one of three and
 * reads the survivors' lines; the clock is the machine's, shared by every process.
 */
public final class FailoverProbe {

	private FailoverProbe() {
	}

	/** {@code FailoverProbe CONFIG ADDRESS}. */
	public static void main(String[] args) throws Exception {
		CorosyncConfig config = new CorosyncConfigReader().read(Path.of(args[0]));
		HostNetwork host = HostNetwork.withLocalAddresses(HostNetwork.system(),
				List.of(InetAddress.getByName(args[1])));
		CorosyncNode node = CorosyncNode.builder(config).hostNetwork(host).membershipListener((membership) -> {
			if (membership.synced()) {
				Instant now = Instant.now();
				long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
				System.out.println("ring " + micros + " "
						+ membership.members().stream().map(String::valueOf).collect(Collectors.joining(",")));
				System.out.flush();
			}
		}).start();
		Runtime.getRuntime().addShutdownHook(new Thread(node::close));
		new CountDownLatch(1).await();
	}

}
