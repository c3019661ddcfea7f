package io.corosync4j.engine.servicegroup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Activated;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Fail;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.GraceEnd;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.QuiesceTimeout;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Quiesced;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Register;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Repair;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Switchover;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Withdraw;
import io.corosync4j.engine.servicegroup.ServiceGroupTable.UnitEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The service group table's rules, one event at a time, as member {@link #A} (the coordinator) applies them. */
class ServiceGroupTableTests {

	static final Member A = new Member(1, 1001);

	static final Member B = new Member(2, 1002);

	static final Member C = new Member(3, 1003);

	private final FakeView view = new FakeView(A);

	private final Recorder effects = new Recorder();

	private ServiceGroupTable table;

	@BeforeEach
	void startFresh() {
		this.table = new ServiceGroupTable(this.view, this.effects);
		this.table.startFresh(100);
		this.table.settled(true);
	}

	@Test
	void theActiveIsTheLowestRankThenTheFirstRegistered() {
		this.view.settled = false;
		register(B, 1, 2, 0);
		register(C, 2, 0, 0);
		register(A, 3, 0, 0);
		assertThat(active("db")).as("nothing is assigned before the change settled").isNull();
		settle();
		assertThat(active("db")).isEqualTo(C);
		assertThat(group("db").units()).extracting(ServiceUnitView::member).containsExactly(C, A, B);
		assertThat(group("db").assignment()).isGreaterThan(100);
		assertThat(this.effects.units).as("A is told it is a standby, not active").extracting(UnitEvent::state)
			.containsExactly(ServiceUnitState.STANDBY);
	}

	@Test
	void aProcessThatLeavesIsReplacedWhenTheChangeSettlesWithoutGrace() {
		register(B, 1, 0, 5_000);
		register(A, 2, 1, 0);
		assertThat(active("db")).isEqualTo(B);
		long first = group("db").assignment();
		this.table.membersChanged(List.of(A), List.of(B), Set.of());
		this.view.settled = false;
		assertThat(active("db")).isNull();
		settle();
		assertThat(active("db")).isEqualTo(A);
		UnitEvent told = lastEvent();
		assertThat(told.state()).isEqualTo(ServiceUnitState.ACTIVE);
		assertThat(told.reason()).isEqualTo(ChangeReason.FAILOVER);
		assertThat(told.previousActive()).isEqualTo(B);
		assertThat(told.fence()).as("a process that left is not fenced").isEmpty();
		assertThat(told.assignment()).isGreaterThan(first);
		assertThat(group("db").failovers()).isEqualTo(1);
		assertThat(this.effects.timers).isEmpty();
	}

	@Test
	void anActiveWhoseNodeFailedIsWaitedForAndFenced() {
		register(B, 1, 0, 5_000);
		register(A, 2, 1, 0);
		this.table.membersChanged(List.of(A), List.of(B), Set.of(B));
		this.view.settled = false;
		settle();
		assertThat(active("db")).as("in grace").isNull();
		assertThat(group("db").inGrace()).isTrue();
		assertThat(this.effects.timers).hasSize(1);
		GraceEnd end = (GraceEnd) this.effects.timers.get(0).message();
		assertThat(this.effects.timers.get(0).millis()).isEqualTo(5_000);
		this.table.apply(A, new GraceEnd("db", end.grace() - 1));
		assertThat(active("db")).as("another grace's end ends nothing").isNull();
		this.table.apply(A, end);
		assertThat(active("db")).isEqualTo(A);
		UnitEvent told = lastEvent();
		assertThat(told.fence()).containsExactly(B);
		assertThat(group("db").unfenced()).containsExactly(B);
		this.table.apply(A, new Activated("db", told.assignment()));
		assertThat(group("db").unfenced()).isEmpty();
	}

	@Test
	void aNodeFailureWithoutGraceFailsOverAtTheSettleAndStillFences() {
		register(B, 1, 0, 0);
		register(A, 2, 1, 0);
		this.table.membersChanged(List.of(A), List.of(B), Set.of(B));
		this.view.settled = false;
		settle();
		assertThat(active("db")).isEqualTo(A);
		assertThat(lastEvent().fence()).containsExactly(B);
	}

	@Test
	void aSwitchoverQuiescesTheActiveThenActivatesTheTarget() {
		register(A, 1, 0, 0);
		register(B, 2, 1, 0);
		register(C, 3, 2, 0);
		this.effects.units.clear();
		this.table.apply(B, new Switchover(9, "db", C));
		assertThat(group("db").units().get(0).state()).isEqualTo(ServiceUnitState.QUIESCING);
		UnitEvent quiescing = lastEvent();
		assertThat(quiescing.state()).isEqualTo(ServiceUnitState.QUIESCING);
		assertThat(this.effects.timers).extracting(Timer::message)
			.containsExactly(new QuiesceTimeout("db", quiescing.quiesce()));
		this.table.apply(B, new Quiesced("db", quiescing.quiesce()));
		assertThat(active("db")).as("only the quiescing member's own word counts").isEqualTo(A);
		this.table.apply(A, new Quiesced("db", quiescing.quiesce() - 1));
		assertThat(active("db")).as("nor a word for another switchover").isEqualTo(A);
		this.table.apply(A, new Quiesced("db", quiescing.quiesce()));
		assertThat(active("db")).isEqualTo(C);
		assertThat(this.effects.units).extracting(UnitEvent::state)
			.containsExactly(ServiceUnitState.QUIESCING, ServiceUnitState.QUIESCED, ServiceUnitState.STANDBY);
		assertThat(group("db").switchovers()).isEqualTo(1);
		this.table.apply(A, new QuiesceTimeout("db", quiescing.quiesce()));
		assertThat(active("db")).as("a late timeout does nothing").isEqualTo(C);
	}

	@Test
	void aSwitchoverWithoutTargetGoesToTheBestOtherStandbyAndATimeoutForcesIt() {
		register(A, 1, 0, 0);
		register(B, 2, 5, 0);
		this.table.apply(C, new Switchover(0, "db", null));
		long quiesce = ((QuiesceTimeout) this.effects.timers.get(0).message()).quiesce();
		this.table.apply(A, new QuiesceTimeout("db", quiesce));
		assertThat(active("db")).as("B, though A ranks better").isEqualTo(B);
		assertThat(this.effects.units.get(this.effects.units.size() - 1).detail()).contains("timed out");
	}

	@Test
	void switchoversThatMakeNoSenseAreRefused() {
		this.table.apply(A, new Switchover(1, "none", null));
		register(A, 1, 0, 0);
		this.table.apply(A, new Switchover(2, "db", null));
		this.table.apply(A, new Switchover(3, "db", C));
		this.table.apply(A, new Switchover(4, "db", A));
		register(B, 2, 0, 0);
		this.table.apply(A, new Switchover(5, "db", B));
		this.table.apply(A, new Switchover(6, "db", B));
		this.table.apply(B, new Switchover(7, "db", null));
		assertThat(this.effects.done).containsExactly(entry(1, ServiceGroupError.NOT_FOUND),
				entry(2, ServiceGroupError.INVALID), entry(3, ServiceGroupError.NOT_FOUND),
				entry(4, ServiceGroupError.INVALID), entry(5, null), entry(6, ServiceGroupError.TRY_AGAIN));
	}

	@Test
	void aFailedUnitIsReplacedAndNeverChosenUntilRepairedWithoutFailingBack() {
		register(A, 1, 0, 0);
		register(B, 2, 1, 0);
		this.table.apply(A, new Fail(3, 1, "db", "health check"));
		assertThat(active("db")).isEqualTo(B);
		assertThat(group("db").units().get(0).state()).isEqualTo(ServiceUnitState.FAILED);
		assertThat(group("db").units().get(0).detail()).isEqualTo("health check");
		this.table.apply(B, new Withdraw(0, 2, "db"));
		assertThat(active("db")).as("a failed unit is not chosen").isNull();
		this.table.apply(A, new Repair(4, 1, "db"));
		assertThat(active("db")).isEqualTo(A);
		register(B, 5, 0, 0);
		assertThat(active("db")).as("no failing back to a better rank").isEqualTo(A);
		assertThat(this.effects.done).containsEntry(3L, null).containsEntry(4L, null);
	}

	@Test
	void operationsForAnotherRegistrationOfTheUnitDoNothing() {
		register(A, 5, 0, 0);
		this.table.apply(A, new Register(4, "db", 9, 0, 0, ""));
		assertThat(group("db").units().get(0).rank()).as("an older registration").isEqualTo(0);
		this.table.apply(A, new Fail(1, 4, "db", "old"));
		this.table.apply(A, new Withdraw(2, 4, "db"));
		assertThat(active("db")).isEqualTo(A);
		assertThat(this.effects.done).containsEntry(1L, ServiceGroupError.NOT_FOUND)
			.containsEntry(2L, ServiceGroupError.NOT_FOUND);
		this.table.apply(A, new Register(6, "db", 3, 0, 0, ""));
		assertThat(group("db").units()).singleElement().satisfies((unit) -> assertThat(unit.rank()).isEqualTo(3));
	}

	@Test
	void aUnitRegisteredFailedWaitsForRepair() {
		this.table.apply(A, new Register(1, "db", 0, 0, 0, "broken"));
		assertThat(active("db")).isNull();
		assertThat(lastEvent().state()).isEqualTo(ServiceUnitState.FAILED);
	}

	@Test
	void aStaleMemberIsDroppedWithoutGraceAndTheTableIsLostWhole() {
		register(B, 1, 0, 5_000);
		register(A, 2, 1, 0);
		this.view.settled = false;
		this.table.memberDropped(B);
		settle();
		assertThat(active("db")).isEqualTo(A);
		assertThat(lastEvent().fence()).isEmpty();
		this.table.lost();
		assertThat(this.table.views()).isEmpty();
		assertThat(this.effects.lost).isEqualTo(1);
		assertThat(this.table.floor()).as("numbers stay above what this table handed out").isGreaterThan(100);
	}

	@Test
	void aSnapshotCarriesEverythingAndTheCopiesGoOnAlike() throws IOException {
		register(B, 1, 0, 7_000);
		register(A, 2, 1, 0);
		register(C, 3, 2, 0);
		this.table.apply(C, new Register(1, "other", 0, 0, 0, "bad"));
		this.table.membersChanged(List.of(A, C), List.of(B), Set.of(B));
		byte[] snapshot = snapshot(this.table);

		FakeView otherView = new FakeView(C);
		Recorder otherEffects = new Recorder();
		ServiceGroupTable copy = new ServiceGroupTable(otherView, otherEffects);
		copy.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
		assertThat(copy.views()).isEqualTo(this.table.views());
		assertThat(copy.floor()).isEqualTo(this.table.floor());
		assertThat(snapshot(copy)).isEqualTo(snapshot);

		this.table.settled(true);
		copy.settled(false);
		assertThat(copy.views()).as("in grace on both").isEqualTo(this.table.views());
		GraceEnd end = (GraceEnd) this.effects.timers.get(this.effects.timers.size() - 1).message();
		this.table.apply(A, end);
		copy.apply(A, end);
		assertThat(active("db")).isEqualTo(A);
		assertThat(copy.views()).isEqualTo(this.table.views());
		assertThat(otherEffects.units).as("C's unit is still a standby").isEmpty();
	}

	@Test
	void aSnapshotThatCannotBeReadIsRefused() throws IOException {
		register(A, 1, 0, 0);
		byte[] snapshot = snapshot(this.table);
		for (int length = 0; length < snapshot.length; length++) {
			byte[] cut = Arrays.copyOf(snapshot, length);
			ServiceGroupTable copy = new ServiceGroupTable(new FakeView(B), new Recorder());
			assertThatExceptionOfType(IOException.class).as("cut to " + length)
				.isThrownBy(() -> copy.readSnapshot(new DataInputStream(new ByteArrayInputStream(cut))));
		}
		byte[] badState = snapshot.clone();
		badState[badState.length - 3] = 9;   // the unit's state byte
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> new ServiceGroupTable(new FakeView(B), new Recorder())
			.readSnapshot(new DataInputStream(new ByteArrayInputStream(badState))));
	}

	// ---------------------------------------------------------------------------------------------

	private void register(Member member, long unit, int rank, int graceMillis) {
		this.table.apply(member, new Register(unit, "db", rank, graceMillis, 1_000, ""));
	}

	private void settle() {
		this.view.settled = true;
		this.table.settled(true);
	}

	private @Nullable Member active(String name) {
		return this.table.views().stream().filter((g) -> g.name().equals(name)).findFirst().map(ServiceGroupView::active)
			.orElse(null);
	}

	private ServiceGroupView group(String name) {
		return group(this.table, name);
	}

	private static ServiceGroupView group(ServiceGroupTable table, String name) {
		return table.views().stream().filter((g) -> g.name().equals(name)).findFirst().orElseThrow();
	}

	private UnitEvent lastEvent() {
		return this.effects.units.get(this.effects.units.size() - 1);
	}

	private static Map.Entry<Long, @Nullable ServiceGroupError> entry(long request, @Nullable ServiceGroupError error) {
		return new java.util.AbstractMap.SimpleEntry<>(request, error);
	}

	private static byte[] snapshot(ServiceGroupTable table) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (DataOutputStream out = new DataOutputStream(bytes)) {
			table.writeSnapshot(out);
		}
		return bytes.toByteArray();
	}

	record Timer(long millis, ServiceGroupMessage message) {
	}

	static final class Recorder implements ServiceGroupTable.Effects {

		final List<UnitEvent> units = new ArrayList<>();

		final Map<Long, @Nullable ServiceGroupError> done = new TreeMap<>();

		final List<Timer> timers = new ArrayList<>();

		int lost;

		@Override
		public void unitChanged(UnitEvent event) {
			this.units.add(event);
		}

		@Override
		public void done(long request, @Nullable ServiceGroupError error) {
			this.done.put(request, error);
		}

		@Override
		public void timer(long millis, ServiceGroupMessage message) {
			this.timers.add(new Timer(millis, message));
		}

		@Override
		public void assigned(String group, ChangeReason reason) {
		}

		@Override
		public void settled() {
		}

		@Override
		public void lost() {
			this.lost++;
		}

	}

	static final class FakeView implements ReplicaView {

		final Member self;

		boolean settled = true;

		FakeView(Member self) {
			this.self = self;
		}

		@Override
		public Member self() {
			return this.self;
		}

		@Override
		public List<Member> members() {
			return List.of(A, B, C);
		}

		@Override
		public boolean holdsState() {
			return true;
		}

		@Override
		public boolean settled() {
			return this.settled;
		}

		@Override
		public boolean coordinator() {
			return this.self.equals(A);
		}

		@Override
		public boolean durable() {
			return true;
		}

	}

}
