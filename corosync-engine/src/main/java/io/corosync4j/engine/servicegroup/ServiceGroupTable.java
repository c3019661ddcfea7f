package io.corosync4j.engine.servicegroup;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.ReplicatedState;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Activated;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Fail;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.GraceEnd;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.QuiesceTimeout;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Quiesced;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Register;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Repair;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Switchover;
import io.corosync4j.engine.servicegroup.ServiceGroupMessage.Withdraw;
import org.jspecify.annotations.Nullable;

/**
 * The service group table: which units every group has and which one is active. Every member holding
 * it applies the same registrations, withdrawals, failures, switchovers, timer ends and configuration
 * changes in agreed order, so every copy makes the same assignment at the same point of the order.
 *
 * <p>Rules, each applied at one point of the order:
 * <ul>
 * <li>A group with no active gets one only while the table is settled (every member's status for the
 * last configuration change is in, so quorum is known and stale tables are gone), and not while it
 * waits out a grace period: the standby of lowest rank, the earliest registered on a tie (a switchover's
 * target first, if it is still a standby; the unit that just handed over last).</li>
 * <li>An active whose process leaves, is withdrawn or is reported failed leaves the group without an
 * active. If its node failed (left the ring), it is noted as unfenced, and if its unit asked for a grace
 * period, the group waits for the coordinator's {@link GraceEnd} before choosing again.</li>
 * <li>A switchover puts the active in {@link ServiceUnitState#QUIESCING}; its own {@link Quiesced}, or the
 * coordinator's {@link QuiesceTimeout}, makes it a standby and the next active is chosen there.</li>
 * </ul>
 * Time enters only as operations the coordinator (the lowest member holding the table) sends when its
 * timers run out; numbers for registrations, assignments, grace periods and switchovers come from one
 * counter that a table started afresh starts above every number its members knew of.
 */
final class ServiceGroupTable implements ReplicatedState {

	static final int SNAPSHOT_VERSION = 1;

	/** The most groups and units a snapshot may claim; more is a corrupt snapshot. */
	static final int MAX_COUNT = 1 << 20;

	/** One change of a unit of this member, for the service to tell its application. */
	record UnitEvent(long unit, String group, ServiceUnitState state, ChangeReason reason,
			@Nullable Member previousActive, long assignment, List<Member> fence, long quiesce, String detail) {
	}

	/** What the table asks of its member. */
	interface Effects {

		/** A unit of this member changed state in the table. */
		void unitChanged(UnitEvent event);

		/** A request of this member was applied ({@code error == null}) or refused. */
		void done(long request, @Nullable ServiceGroupError error);

		/** As the coordinator: send {@code message} after {@code millis} (a grace end, a quiesce timeout). */
		void timer(long millis, ServiceGroupMessage message);

		/** A group got an active ({@link ChangeReason#FAILOVER}, {@link ChangeReason#SWITCHOVER} or {@link ChangeReason#STARTUP}). */
		void assigned(String group, ChangeReason reason);

		/** The last configuration change settled. */
		void settled();

		/** This member dropped the table. */
		void lost();

	}

	private static final Comparator<Unit> PREFERENCE = Comparator.comparingInt((Unit unit) -> unit.rank)
		.thenComparingLong((unit) -> unit.order);

	private final ReplicaView view;

	private final Effects effects;

	private final TreeMap<String, Group> groups = new TreeMap<>();

	/** The last number handed out for a registration, assignment, grace period or switchover. */
	private long serial;

	ServiceGroupTable(ReplicaView view, Effects effects) {
		this.view = view;
		this.effects = effects;
	}

	// ---------------------------------------------------------------------------------------------
	// ReplicatedState

	@Override
	public void membersChanged(List<Member> members, List<Member> left, Set<Member> nodesDown) {
		for (Member gone : left) {
			removeMember(gone, nodesDown.contains(gone));
		}
	}

	@Override
	public void memberDropped(Member member) {
		// its own copy drops the table at this very point and its units step down there: no grace, no fencing
		removeMember(member, false);
	}

	@Override
	public void settled(boolean coordinator) {
		if (coordinator) {
			for (Group group : this.groups.values()) {
				startTimers(group);
			}
		}
		for (Group group : List.copyOf(this.groups.values())) {
			assign(group);
		}
		this.effects.settled();
	}

	/** Timers move with the coordinator when a lower member receives the table (a new one arms them). */
	@Override
	public void coordinatorChanged(boolean coordinator) {
		if (coordinator) {
			for (Group group : this.groups.values()) {
				startTimers(group);
			}
		}
	}

	@Override
	public void apply(Member from, byte[] operation) {
		ServiceGroupMessage message = ServiceGroupCodec.decode(operation);
		if (message != null) {
			apply(from, message);
		}
	}

	@Override
	public void lost() {
		this.groups.clear();
		this.effects.lost();
	}

	@Override
	public void startFresh(long floor) {
		this.groups.clear();
		this.serial = floor;
	}

	@Override
	public long floor() {
		return this.serial;
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	void apply(Member from, ServiceGroupMessage message) {
		if (message instanceof Register register) {
			register(from, register);
		}
		else if (message instanceof Withdraw withdraw) {
			withdraw(from, withdraw);
		}
		else if (message instanceof Fail fail) {
			fail(from, fail);
		}
		else if (message instanceof Repair repair) {
			repair(from, repair);
		}
		else if (message instanceof Switchover switchover) {
			switchover(from, switchover);
		}
		else if (message instanceof Quiesced quiesced) {
			Group group = this.groups.get(quiesced.group());
			Unit active = (group != null) ? group.activeUnit() : null;
			if (active != null && active.member.equals(from) && active.state == ServiceUnitState.QUIESCING
					&& group.quiesce == quiesced.quiesce()) {
				finishSwitchover(group, active, "");
			}
		}
		else if (message instanceof QuiesceTimeout timeout) {
			Group group = this.groups.get(timeout.group());
			Unit active = (group != null) ? group.activeUnit() : null;
			if (active != null && active.state == ServiceUnitState.QUIESCING && group.quiesce == timeout.quiesce()) {
				finishSwitchover(group, active, "quiescing timed out after " + active.quiesceMillis + " ms");
			}
		}
		else if (message instanceof GraceEnd end) {
			Group group = this.groups.get(end.group());
			if (group != null && group.grace == end.grace()) {
				group.grace = 0;
				assign(group);
				dropIfUnused(group);
			}
		}
		else if (message instanceof Activated activated) {
			Group group = this.groups.get(activated.group());
			if (group != null && from.equals(group.active) && group.assignment == activated.assignment()) {
				group.unfenced.clear();
			}
		}
	}

	private void register(Member from, Register register) {
		Group group = this.groups.computeIfAbsent(register.group(), Group::new);
		Unit existing = group.unit(from);
		if (existing != null) {
			if (existing.id >= register.unit()) {
				// this registration, or a later one, is in already
				return;
			}
			// a process offers one unit per group: a later registration replaces an earlier one
			removeUnit(group, existing, false);
			event(group, existing, ServiceUnitState.UNASSIGNED, ChangeReason.WITHDRAWN, "");
		}
		boolean failed = !register.failure().isEmpty();
		Unit unit = new Unit(from, register.unit(), ++this.serial, register.rank(), register.graceMillis(),
				register.quiesceMillis(), failed ? ServiceUnitState.FAILED : ServiceUnitState.STANDBY, register.failure());
		group.units.add(unit);
		event(group, unit, unit.state, failed ? ChangeReason.FAILED : ChangeReason.STARTUP, unit.detail);
		assign(group);
	}

	private void withdraw(Member from, Withdraw withdraw) {
		Group group = this.groups.get(withdraw.group());
		Unit unit = (group != null) ? group.unit(from) : null;
		if (unit == null || unit.id != withdraw.unit()) {
			done(from, withdraw.request(), ServiceGroupError.NOT_FOUND);
			return;
		}
		removeUnit(group, unit, false);
		event(group, unit, ServiceUnitState.UNASSIGNED, ChangeReason.WITHDRAWN, "");
		assign(group);
		dropIfUnused(group);
		done(from, withdraw.request(), null);
	}

	private void fail(Member from, Fail fail) {
		Group group = this.groups.get(fail.group());
		Unit unit = (group != null) ? group.unit(from) : null;
		if (unit == null || unit.id != fail.unit()) {
			done(from, fail.request(), ServiceGroupError.NOT_FOUND);
			return;
		}
		if (unit.state != ServiceUnitState.FAILED) {
			boolean wasActive = unit.member.equals(group.active);
			unit.state = ServiceUnitState.FAILED;
			unit.detail = fail.reason();
			if (wasActive) {
				vacate(group, unit, ChangeReason.FAILOVER);
			}
			event(group, unit, ServiceUnitState.FAILED, ChangeReason.FAILED, unit.detail);
			assign(group);
		}
		done(from, fail.request(), null);
	}

	private void repair(Member from, Repair repair) {
		Group group = this.groups.get(repair.group());
		Unit unit = (group != null) ? group.unit(from) : null;
		if (unit == null || unit.id != repair.unit()) {
			done(from, repair.request(), ServiceGroupError.NOT_FOUND);
			return;
		}
		if (unit.state == ServiceUnitState.FAILED) {
			unit.state = ServiceUnitState.STANDBY;
			unit.detail = "";
			event(group, unit, ServiceUnitState.STANDBY, ChangeReason.REPAIRED, "");
			assign(group);
		}
		done(from, repair.request(), null);
	}

	private void switchover(Member from, Switchover switchover) {
		Group group = this.groups.get(switchover.group());
		if (group == null) {
			done(from, switchover.request(), ServiceGroupError.NOT_FOUND);
			return;
		}
		Unit active = group.activeUnit();
		if (active == null || active.state != ServiceUnitState.ACTIVE) {
			// no active yet (grace, settling, nobody to choose) or a switchover under way
			done(from, switchover.request(), ServiceGroupError.TRY_AGAIN);
			return;
		}
		Member target = switchover.target();
		if (target != null) {
			Unit chosen = group.unit(target);
			if (chosen == null) {
				done(from, switchover.request(), ServiceGroupError.NOT_FOUND);
				return;
			}
			if (chosen.state != ServiceUnitState.STANDBY) {
				done(from, switchover.request(), ServiceGroupError.INVALID);
				return;
			}
		}
		else if (group.units.stream().noneMatch((unit) -> unit.state == ServiceUnitState.STANDBY)) {
			done(from, switchover.request(), ServiceGroupError.INVALID);
			return;
		}
		active.state = ServiceUnitState.QUIESCING;
		group.quiesce = ++this.serial;
		group.switchTarget = target;
		group.switchFrom = active.member;
		event(group, active, ServiceUnitState.QUIESCING, ChangeReason.SWITCHOVER, "");
		if (this.view.coordinator()) {
			startTimers(group);
		}
		done(from, switchover.request(), null);
	}

	/** The quiescing active hands over: it is a standby, and the next active is chosen (the target first). */
	private void finishSwitchover(Group group, Unit active, String detail) {
		active.state = ServiceUnitState.STANDBY;
		vacate(group, active, ChangeReason.SWITCHOVER);
		event(group, active, ServiceUnitState.QUIESCED, ChangeReason.SWITCHOVER, detail);
		event(group, active, ServiceUnitState.STANDBY, ChangeReason.SWITCHOVER, detail);
		assign(group);
	}

	// ---------------------------------------------------------------------------------------------

	/** A process left the group (or its table was stale): its units go. */
	private void removeMember(Member gone, boolean nodeDown) {
		for (Group group : List.copyOf(this.groups.values())) {
			Unit unit = group.unit(gone);
			if (unit != null) {
				removeUnit(group, unit, nodeDown);
				dropIfUnused(group);
			}
		}
	}

	private void removeUnit(Group group, Unit unit, boolean nodeDown) {
		group.units.remove(unit);
		if (unit.member.equals(group.switchTarget)) {
			group.switchTarget = null;
		}
		if (!unit.member.equals(group.active)) {
			return;
		}
		vacate(group, unit, ChangeReason.FAILOVER);
		if (nodeDown) {
			// it may still run, cut off or paused: fenced by the next active, and waited for if it asked
			if (!group.unfenced.contains(unit.member)) {
				group.unfenced.add(unit.member);
			}
			if (unit.graceMillis > 0) {
				group.grace = ++this.serial;
				group.graceMillis = unit.graceMillis;
			}
		}
	}

	/** The group's active is gone; {@code next} is the reason the next one will be told. */
	private void vacate(Group group, Unit former, ChangeReason next) {
		group.active = null;
		group.previous = former.member;
		group.nextReason = next;
		group.quiesce = 0;
		if (next != ChangeReason.SWITCHOVER) {
			group.switchTarget = null;
			group.switchFrom = null;
		}
	}

	/** Chooses an active for a group without one, if the table is settled and the group not in grace. */
	private void assign(Group group) {
		if (!this.view.settled() || group.active != null || group.grace != 0) {
			return;
		}
		Unit chosen = choose(group);
		if (chosen == null) {
			return;
		}
		chosen.state = ServiceUnitState.ACTIVE;
		group.active = chosen.member;
		group.assignment = ++this.serial;
		ChangeReason reason = group.nextReason;
		if (reason == ChangeReason.FAILOVER) {
			group.failovers++;
		}
		else if (reason == ChangeReason.SWITCHOVER) {
			group.switchovers++;
		}
		this.effects.assigned(group.name, reason);
		if (chosen.member.equals(this.view.self())) {
			this.effects.unitChanged(new UnitEvent(chosen.id, group.name, ServiceUnitState.ACTIVE, reason, group.previous,
					group.assignment, List.copyOf(group.unfenced), 0, ""));
		}
		group.nextReason = ChangeReason.STARTUP;
		group.previous = null;
		group.switchTarget = null;
		group.switchFrom = null;
	}

	private @Nullable Unit choose(Group group) {
		Unit target = (group.switchTarget != null) ? group.unit(group.switchTarget) : null;
		if (target != null && target.state == ServiceUnitState.STANDBY) {
			return target;
		}
		Unit handedOver = null;
		for (Unit unit : group.units.stream().sorted(PREFERENCE).toList()) {
			if (unit.state != ServiceUnitState.STANDBY) {
				continue;
			}
			if (unit.member.equals(group.switchFrom)) {
				handedOver = unit;
			}
			else {
				return unit;
			}
		}
		return handedOver;
	}

	/** As the coordinator, times the group's grace period and quiescing active (again, after a change). */
	private void startTimers(Group group) {
		if (group.grace != 0) {
			this.effects.timer(group.graceMillis, new GraceEnd(group.name, group.grace));
		}
		Unit active = group.activeUnit();
		if (active != null && active.state == ServiceUnitState.QUIESCING) {
			this.effects.timer(active.quiesceMillis, new QuiesceTimeout(group.name, group.quiesce));
		}
	}

	private void dropIfUnused(Group group) {
		// a group keeps its unfenced former actives: whoever registers next must fence them
		if (group.units.isEmpty() && group.grace == 0 && group.unfenced.isEmpty()) {
			this.groups.remove(group.name);
		}
	}

	private void event(Group group, Unit unit, ServiceUnitState state, ChangeReason reason, String detail) {
		if (unit.member.equals(this.view.self())) {
			this.effects.unitChanged(new UnitEvent(unit.id, group.name, state, reason, null, 0, List.of(),
					(state == ServiceUnitState.QUIESCING) ? group.quiesce : 0, detail));
		}
	}

	private void done(Member from, long request, @Nullable ServiceGroupError error) {
		if (request != 0 && from.equals(this.view.self())) {
			this.effects.done(request, error);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// Views

	/** The groups as this table holds them, by name. */
	List<ServiceGroupView> views() {
		List<ServiceGroupView> views = new ArrayList<>();
		for (Group group : this.groups.values()) {
			List<ServiceUnitView> units = group.units.stream()
				.sorted(PREFERENCE)
				.map((unit) -> new ServiceUnitView(unit.member, unit.rank, unit.state, unit.detail))
				.toList();
			views.add(new ServiceGroupView(group.name, units, group.active, group.assignment, group.grace != 0,
					group.unfenced, group.failovers, group.switchovers));
		}
		return views;
	}

	/** The state of this member's unit {@code id} of {@code group} in the table, if it is there. */
	@Nullable ServiceUnitState stateOf(String groupName, Member member, long id) {
		Group group = this.groups.get(groupName);
		Unit unit = (group != null) ? group.unit(member) : null;
		return (unit != null && unit.id == id) ? unit.state : null;
	}

	/** The group's current assignment number, 0 when it has no active. */
	long assignmentOf(String groupName) {
		Group group = this.groups.get(groupName);
		return (group != null && group.active != null) ? group.assignment : 0;
	}

	// ---------------------------------------------------------------------------------------------
	// Snapshot

	@Override
	public void writeSnapshot(DataOutput out) throws IOException {
		out.writeByte(SNAPSHOT_VERSION);
		out.writeLong(this.serial);
		out.writeInt(this.groups.size());
		for (Group group : this.groups.values()) {
			ServiceGroupCodec.writeName(out, group.name);
			ServiceGroupCodec.writeOptionalMember(out, group.active);
			out.writeLong(group.assignment);
			out.writeLong(group.grace);
			out.writeInt(group.graceMillis);
			out.writeLong(group.quiesce);
			ServiceGroupCodec.writeOptionalMember(out, group.switchTarget);
			ServiceGroupCodec.writeOptionalMember(out, group.switchFrom);
			ServiceGroupCodec.writeOptionalMember(out, group.previous);
			out.writeByte(group.nextReason.ordinal());
			out.writeInt(group.unfenced.size());
			for (Member member : group.unfenced) {
				ServiceGroupCodec.writeMember(out, member);
			}
			out.writeLong(group.failovers);
			out.writeLong(group.switchovers);
			out.writeInt(group.units.size());
			for (Unit unit : group.units) {
				ServiceGroupCodec.writeMember(out, unit.member);
				out.writeLong(unit.id);
				out.writeLong(unit.order);
				out.writeInt(unit.rank);
				out.writeInt(unit.graceMillis);
				out.writeInt(unit.quiesceMillis);
				out.writeByte(unit.state.ordinal());
				ServiceGroupCodec.writeReason(out, unit.detail);
			}
		}
	}

	@Override
	public void readSnapshot(DataInput in) throws IOException {
		if (in.readUnsignedByte() != SNAPSHOT_VERSION) {
			throw new IOException("a service group snapshot of another version");
		}
		long readSerial = in.readLong();
		TreeMap<String, Group> read = new TreeMap<>();
		for (int g = ServiceGroupCodec.count(in, MAX_COUNT); g > 0; g--) {
			Group group = new Group(ServiceGroupCodec.readName(in));
			group.active = ServiceGroupCodec.readOptionalMember(in);
			group.assignment = in.readLong();
			group.grace = in.readLong();
			group.graceMillis = ServiceGroupCodec.millis(in);
			group.quiesce = in.readLong();
			group.switchTarget = ServiceGroupCodec.readOptionalMember(in);
			group.switchFrom = ServiceGroupCodec.readOptionalMember(in);
			group.previous = ServiceGroupCodec.readOptionalMember(in);
			group.nextReason = reason(in.readUnsignedByte());
			for (int u = ServiceGroupCodec.count(in, MAX_COUNT); u > 0; u--) {
				group.unfenced.add(ServiceGroupCodec.readMember(in));
			}
			group.failovers = in.readLong();
			group.switchovers = in.readLong();
			for (int u = ServiceGroupCodec.count(in, MAX_COUNT); u > 0; u--) {
				Member member = ServiceGroupCodec.readMember(in);
				long id = in.readLong();
				long order = in.readLong();
				int rank = in.readInt();
				int grace = ServiceGroupCodec.millis(in);
				int quiesce = ServiceGroupCodec.millis(in);
				ServiceUnitState state = tableState(in.readUnsignedByte());
				String detail = ServiceGroupCodec.readReason(in);
				if (group.unit(member) != null) {
					throw new EOFException("two units of " + member + " in group " + group.name);
				}
				group.units.add(new Unit(member, id, order, rank, grace, quiesce, state, detail));
			}
			Unit active = group.activeUnit();
			if ((group.active != null) != (active != null) || (active != null && active.state != ServiceUnitState.ACTIVE
					&& active.state != ServiceUnitState.QUIESCING)) {
				throw new EOFException("group " + group.name + " names an active it does not hold");
			}
			if (read.put(group.name, group) != null) {
				throw new EOFException("group " + group.name + " twice");
			}
		}
		this.serial = readSerial;
		this.groups.clear();
		this.groups.putAll(read);
	}

	private static ChangeReason reason(int ordinal) throws EOFException {
		ChangeReason[] reasons = ChangeReason.values();
		if (ordinal >= reasons.length) {
			throw new EOFException("a change reason of " + ordinal);
		}
		return reasons[ordinal];
	}

	private static ServiceUnitState tableState(int ordinal) throws EOFException {
		ServiceUnitState[] states = ServiceUnitState.values();
		ServiceUnitState state = (ordinal < states.length) ? states[ordinal] : null;
		if (state != ServiceUnitState.ACTIVE && state != ServiceUnitState.STANDBY && state != ServiceUnitState.QUIESCING
				&& state != ServiceUnitState.FAILED) {
			throw new EOFException("a unit state of " + ordinal);
		}
		return state;
	}

	// ---------------------------------------------------------------------------------------------

	private static final class Group {

		final String name;

		/** In registration order. */
		final List<Unit> units = new ArrayList<>();

		/** The process whose unit is active or quiescing. */
		@Nullable Member active;

		long assignment;

		/** The grace period the group waits out (its number), 0 when none. */
		long grace;

		int graceMillis;

		/** The switchover under way (its number), 0 when none. */
		long quiesce;

		@Nullable Member switchTarget;

		@Nullable Member switchFrom;

		/** The last active, until the next is chosen. */
		@Nullable Member previous;

		ChangeReason nextReason = ChangeReason.STARTUP;

		/** Former actives whose node failed, not fenced by an active since. */
		final List<Member> unfenced = new ArrayList<>();

		long failovers;

		long switchovers;

		Group(String name) {
			this.name = name;
		}

		@Nullable Unit unit(Member member) {
			for (Unit unit : this.units) {
				if (unit.member.equals(member)) {
					return unit;
				}
			}
			return null;
		}

		@Nullable Unit activeUnit() {
			Member current = this.active;
			return (current != null) ? unit(current) : null;
		}

	}

	private static final class Unit {

		final Member member;

		final long id;

		final long order;

		final int rank;

		final int graceMillis;

		final int quiesceMillis;

		ServiceUnitState state;

		String detail;

		Unit(Member member, long id, long order, int rank, int graceMillis, int quiesceMillis, ServiceUnitState state,
				String detail) {
			this.member = member;
			this.id = id;
			this.order = order;
			this.rank = rank;
			this.graceMillis = graceMillis;
			this.quiesceMillis = quiesceMillis;
			this.state = state;
			this.detail = detail;
		}

	}

}
