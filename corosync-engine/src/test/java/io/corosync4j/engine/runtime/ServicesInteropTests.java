package io.corosync4j.engine.runtime;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import io.corosync4j.engine.checkpoint.Checkpoint;
import io.corosync4j.engine.checkpoint.CheckpointAttributes;
import io.corosync4j.engine.checkpoint.CheckpointError;
import io.corosync4j.engine.checkpoint.CheckpointException;
import io.corosync4j.engine.checkpoint.SectionId;
import io.corosync4j.engine.checkpoint.UpdateMode;
import io.corosync4j.engine.config.CorosyncConfigReader;
import io.corosync4j.engine.config.HostNetwork;
import io.corosync4j.engine.fixtures.Await;
import io.corosync4j.engine.servicegroup.ServiceUnit;
import io.corosync4j.engine.servicegroup.ServiceUnitSpec;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.corosync4j.engine.runtime.InteropCluster.BOUND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checkpoints and service groups on a corosync4j node in a ring with Corosync 3 daemons, which carry
 * the services' CPG messages and give their votes: the node's unit is active and its synchronous writes
 * complete while the daemons' votes make it quorate; when both daemons are gone it steps down and writes
 * are refused; when one comes back the unit is active again and the checkpoint holds every write
 * acknowledged before.
 */
class ServicesInteropTests {

	private static final SectionId COUNTER = SectionId.of("counter");

	@TempDir
	Path directory;

	@Test
	void servicesRunInARingOfCorosyncDaemonsAndFollowTheirQuorum() throws Exception {
		InteropCluster.requireTools();
		try (InteropCluster cluster = new InteropCluster(this.directory)) {
			cluster.up(3);
			cluster.writeConfig(1, "udpu", true);
			cluster.writeConfig(2, "udpu", true);
			Path javaConfig = cluster.writeConfig(3, "udpu", false);
			Process first = cluster.startDaemon(1);
			Process second = cluster.startDaemon(2);
			cluster.awaitLog(1, 0, (log) -> InteropCluster.synchronizedAfter(log, "Members[2]: 1 2"));

			try (CorosyncNode node = CorosyncNode.builder(new CorosyncConfigReader(Map.of()).read(javaConfig))
				.hostNetwork(HostNetwork.withLocalAddresses(HostNetwork.system(),
						List.of(InetAddress.getByName(cluster.address(3)))))
				.start()) {
				Await.until("the Java node quorate with both daemons", BOUND,
						() -> node.quorate() && node.membership().members().size() == 3, node::membership);
				get(node.checkpoints().ready().toCompletableFuture());
				get(node.serviceGroups().ready().toCompletableFuture());
				Checkpoint checkpoint = get(node.checkpoints()
					.open("interop", CheckpointAttributes.of(UpdateMode.SYNCHRONOUS).withMaxSections(2)));
				List<ServiceUnitState> states = new CopyOnWriteArrayList<>();
				ServiceUnit unit = node.serviceGroups()
					.register(ServiceUnitSpec.of("interop"), (previous, next, change) -> states.add(next));
				Await.until("the unit active", BOUND, unit::isActive, states::toString);

				get(checkpoint.createSection(COUNTER, encode(0), null));
				long acknowledged = 0;
				for (long i = 1; i <= 10; i++) {
					get(checkpoint.overwrite(COUNTER, encode(i)));
					acknowledged = i;
				}

				// one daemon gone: 2 of 3 votes, still quorate
				second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				Await.until("two members", BOUND, () -> node.membership().members().size() == 2, node::membership);
				get(checkpoint.overwrite(COUNTER, encode(++acknowledged)));
				assertThat(unit.isActive()).isTrue();

				// both gone: the node alone is not quorate; its unit steps down, writes are refused
				first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				Await.until("the unit stepped down", BOUND, () -> !unit.isActive() && !node.quorate(), states::toString);
				assertThat(unit.state()).isEqualTo(ServiceUnitState.UNASSIGNED);
				// its handle closed with the state; opening again is refused until quorum is back
				Await.until("the handle closed", BOUND, () -> !checkpoint.isOpen());
				assertThat(checkpoint.lossReason()).isEqualTo(CheckpointError.NO_QUORUM);
				assertThat(node.checkpoints().open("interop", null)).failsWithin(BOUND)
					.withThrowableOfType(ExecutionException.class)
					.havingCause()
					.isInstanceOfSatisfying(CheckpointException.class,
							(ex) -> assertThat(ex.error()).isEqualTo(CheckpointError.NO_QUORUM));

				// a daemon back: quorate again, active again, and the checkpoint kept every acknowledged write
				cluster.startDaemon(1);
				Await.until("the unit active again", BOUND, unit::isActive, states::toString);
				get(node.checkpoints().ready().toCompletableFuture());
				byte[] counter = get(node.checkpoints().open("interop", null).thenCompose((again) -> again.read(COUNTER)));
				assertThat(ByteBuffer.wrap(counter).getLong()).isEqualTo(acknowledged);
				System.out.printf("interop services: unit states %s, counter %d kept across the loss of quorum%n",
						states, acknowledged);
			}
		}
	}

	private static byte[] encode(long value) {
		return ByteBuffer.allocate(8).putLong(value).array();
	}

	private static <T> T get(CompletableFuture<T> future) throws Exception {
		try {
			return future.get(BOUND.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(ex.getCause().toString(), ex.getCause());
		}
	}

}
