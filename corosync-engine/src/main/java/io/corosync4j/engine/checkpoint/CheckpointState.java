package io.corosync4j.engine.checkpoint;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import io.corosync4j.engine.checkpoint.CheckpointCodec.Snapshot;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Close;
import io.corosync4j.engine.checkpoint.CheckpointOperation.CreateSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.DeleteSection;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Expire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Open;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Overwrite;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Retire;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Synchronize;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Unlink;
import io.corosync4j.engine.checkpoint.CheckpointOperation.Write;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.replica.ReplicaView;
import io.corosync4j.engine.replica.Retention;
import io.corosync4j.engine.replica.ServiceState;
import org.jspecify.annotations.Nullable;

/**
 * Every checkpoint of the group, replicated in full on every member holding the state: a state machine
 * without I/O or clocks that each member drives with the same operations and group changes in the same
 * order, so each decides the same. Limits are checked here, where operations are applied, so a refusal is
 * the same everywhere and nothing is ever partly applied or cut short.
 *
 * <p>Time enters only as operations: the coordinator's timers send {@link Retire} when a checkpoint's
 * retention ran out and {@link Expire} when sections reached their expiration, and every member applies
 * them where they fall in the order. A checkpoint without openers (all closed, or their processes left)
 * carries a generation number from then on; an open in between changes it, so a retirement sent for the
 * old one does nothing.
 *
 * <p>Called on the event loop only. Results of this member's own operations go to the {@link Listener}
 * as they are applied.
 */
final class CheckpointState extends ServiceState<CheckpointOperation, CheckpointState.Outcome> {

	/** The expiration of a section that never expires (AIS {@code SA_TIME_END}). */
	static final long NEVER = Long.MAX_VALUE;

	/** The length of generated section ids: a counter of 8 bytes. */
	static final int GENERATED_ID_BYTES = 8;

	/** What the service learns from the state: what its operations gave, settles, the loss of the state. */
	interface Listener extends ServiceState.Listener<Outcome> {

	}

	/**
	 * The outcome of an operation: {@code error == null} for success, with the checkpoint opened and its
	 * attributes, or the section created.
	 */
	record Outcome(@Nullable CheckpointError error, String detail, long checkpoint,
			@Nullable CheckpointAttributes attributes, @Nullable SectionId section) {

		static final Outcome OK = new Outcome(null, "", 0, null, null);

		static Outcome failed(CheckpointError error, String detail) {
			return new Outcome(error, detail, 0, null, null);
		}

	}

	/** Every checkpoint, unlinked ones too, by id. */
	private final TreeMap<Long, Replica> checkpoints = new TreeMap<>();

	/** The linked checkpoints by name. */
	private final TreeMap<String, Replica> names = new TreeMap<>();

	/** Linked checkpoints without openers, whose retention runs. */
	private final TreeMap<String, Replica> idle = new TreeMap<>();

	/** Sections with an expiration, soonest first. */
	private final TreeSet<Expiry> expiries = new TreeSet<>();

	private long nextCheckpoint = 1;

	private long generation;

	private long totalBytes;

	private long totalSections;

	private long totalOpeners;

	CheckpointState(ReplicaView view, Listener listener) {
		super(view, listener);
	}

	// ---------------------------------------------------------------------------------------------
	// ReplicatedState

	@Override
	protected void memberGone(Member member) {
		removeOpeners(member);
	}

	@Override
	public void writeSnapshot(DataOutput out) throws IOException {
		CheckpointCodec.writeSnapshot(out,
				new Snapshot(this.nextCheckpoint, this.generation, List.copyOf(this.checkpoints.values())));
	}

	@Override
	public void readSnapshot(DataInput in) throws IOException {
		Snapshot snapshot = CheckpointCodec.readSnapshot(in);
		if (snapshot == null) {
			throw new IOException("the checkpoint state sent to this member breaks its rules");
		}
		clear();
		this.nextCheckpoint = snapshot.nextCheckpoint();
		this.generation = snapshot.generation();
		for (Replica replica : snapshot.checkpoints()) {
			this.checkpoints.put(replica.id, replica);
			if (!replica.unlinked) {
				this.names.put(replica.name, replica);
				if (replica.openers.isEmpty()) {
					this.idle.put(replica.name, replica);
				}
			}
			this.totalBytes += replica.bytes;
			this.totalSections += replica.sections.size();
			this.totalOpeners += replica.openers.size();
			for (Map.Entry<SectionId, Section> section : replica.sections.entrySet()) {
				if (section.getValue().expiration != NEVER) {
					this.expiries.add(new Expiry(section.getValue().expiration, replica.id, section.getKey()));
				}
			}
		}
		timersChanged();
	}

	@Override
	protected @Nullable CheckpointOperation decode(byte[] operation) {
		return CheckpointCodec.decode(operation);
	}

	@Override
	protected long request(CheckpointOperation operation) {
		return operation.request();
	}

	// ---------------------------------------------------------------------------------------------
	// Operations

	@Override
	protected Outcome apply(Member from, CheckpointOperation operation) {
		if (operation instanceof Open open) {
			return open(from, open);
		}
		if (operation instanceof Close close) {
			Replica replica = this.checkpoints.get(close.checkpoint());
			if (replica == null || !replica.openers.remove(new Opener(from, close.handle()))) {
				return Outcome.failed(CheckpointError.CLOSED, "handle " + close.handle() + " is not open");
			}
			this.totalOpeners--;
			if (replica.openers.isEmpty()) {
				noOpeners(replica);
			}
			return Outcome.OK;
		}
		if (operation instanceof Unlink unlink) {
			Replica replica = this.names.remove(unlink.name());
			if (replica == null) {
				return Outcome.failed(CheckpointError.NOT_FOUND, "checkpoint '" + unlink.name() + "'");
			}
			replica.unlinked = true;
			if (this.idle.remove(replica.name) != null) {
				timersChanged();
			}
			if (replica.openers.isEmpty()) {
				delete(replica);
			}
			return Outcome.OK;
		}
		if (operation instanceof Retire retire) {
			Replica replica = this.names.get(retire.name());
			if (replica != null && replica.openers.isEmpty() && replica.idleGeneration == retire.generation()) {
				delete(replica);
			}
			return Outcome.OK;
		}
		if (operation instanceof Expire expire) {
			expire(expire.now());
			return Outcome.OK;
		}
		return section(from, operation);
	}

	private Outcome open(Member from, Open open) {
		CheckpointAttributes attributes = open.attributes();
		Replica replica = this.names.get(open.name());
		if (replica == null) {
			if (attributes == null) {
				return Outcome.failed(CheckpointError.NOT_FOUND, "checkpoint '" + open.name() + "'");
			}
			String problem = attributes.problem();
			if (problem != null) {
				return Outcome.failed(CheckpointError.INVALID, problem);
			}
			if (this.checkpoints.size() >= CheckpointService.MAX_CHECKPOINTS) {
				return Outcome.failed(CheckpointError.NO_SPACE,
						"the service holds " + CheckpointService.MAX_CHECKPOINTS + " checkpoints, its limit");
			}
			if (attributes.maxSections() == 1 && this.totalSections >= CheckpointService.MAX_SECTIONS) {
				return Outcome.failed(CheckpointError.NO_SPACE, sectionsCap());
			}
		}
		else if (attributes != null && !attributes.equals(replica.attributes)) {
			return Outcome.failed(CheckpointError.EXISTS,
					"checkpoint '" + open.name() + "' exists with other attributes: " + replica.attributes);
		}
		if (this.totalOpeners >= CheckpointService.MAX_OPENERS) {
			return Outcome.failed(CheckpointError.NO_SPACE,
					"the service has " + CheckpointService.MAX_OPENERS + " handles open, its limit");
		}
		Opener opener = new Opener(from, open.handle());
		if (replica == null) {
			replica = new Replica(this.nextCheckpoint++, open.name(), attributes);
			this.checkpoints.put(replica.id, replica);
			this.names.put(replica.name, replica);
			if (replica.attributes.maxSections() == 1) {
				replica.sections.put(SectionId.DEFAULT, new Section(NEVER, new byte[0]));
				this.totalSections++;
			}
		}
		else if (replica.openers.contains(opener)) {
			return Outcome.failed(CheckpointError.INVALID, "handle " + open.handle() + " is open already");
		}
		replica.openers.add(opener);
		this.totalOpeners++;
		if (replica.idleGeneration != 0) {
			replica.idleGeneration = 0;
			this.idle.remove(replica.name);
			timersChanged();
		}
		return new Outcome(null, "", replica.id, replica.attributes, null);
	}

	/** The operations of an open handle on its checkpoint's sections. */
	private Outcome section(Member from, CheckpointOperation operation) {
		long checkpoint;
		long handle;
		if (operation instanceof CreateSection create) {
			checkpoint = create.checkpoint();
			handle = create.handle();
		}
		else if (operation instanceof DeleteSection delete) {
			checkpoint = delete.checkpoint();
			handle = delete.handle();
		}
		else if (operation instanceof Write write) {
			checkpoint = write.checkpoint();
			handle = write.handle();
		}
		else if (operation instanceof Overwrite overwrite) {
			checkpoint = overwrite.checkpoint();
			handle = overwrite.handle();
		}
		else {
			Synchronize synchronize = (Synchronize) operation;
			checkpoint = synchronize.checkpoint();
			handle = synchronize.handle();
		}
		Replica replica = this.checkpoints.get(checkpoint);
		if (replica == null || !replica.openers.contains(new Opener(from, handle))) {
			return Outcome.failed(CheckpointError.CLOSED, "handle " + handle + " is not open");
		}
		if (operation instanceof CreateSection create) {
			return createSection(replica, create);
		}
		if (operation instanceof DeleteSection delete) {
			if (delete.id().length() == 0) {
				return Outcome.failed(CheckpointError.INVALID, "the default section cannot be deleted");
			}
			Section removed = replica.sections.remove(delete.id());
			if (removed == null) {
				return Outcome.failed(CheckpointError.NOT_FOUND, "section " + delete.id() + " of " + replica);
			}
			removed(replica, delete.id(), removed);
			return Outcome.OK;
		}
		if (operation instanceof Write write) {
			return write(replica, write.writes());
		}
		if (operation instanceof Overwrite overwrite) {
			Section section = replica.sections.get(overwrite.id());
			if (section == null) {
				return Outcome.failed(CheckpointError.NOT_FOUND, "section " + overwrite.id() + " of " + replica);
			}
			int size = overwrite.data().length;
			Outcome refused = room(replica, size, size - section.data.length);
			if (refused != null) {
				return refused;
			}
			grow(replica, size - section.data.length);
			section.data = overwrite.data();
			return Outcome.OK;
		}
		return Outcome.OK;
	}

	private Outcome createSection(Replica replica, CreateSection create) {
		CheckpointAttributes attributes = replica.attributes;
		if (replica.sections.size() >= attributes.maxSections()) {
			return Outcome.failed(CheckpointError.NO_SPACE,
					"maxSections " + attributes.maxSections() + " of " + replica + " reached");
		}
		if (this.totalSections >= CheckpointService.MAX_SECTIONS) {
			return Outcome.failed(CheckpointError.NO_SPACE, sectionsCap());
		}
		SectionId id = create.id();
		if (id == null) {
			if (attributes.maxSectionIdSize() < GENERATED_ID_BYTES) {
				return Outcome.failed(CheckpointError.INVALID, "generated section ids take " + GENERATED_ID_BYTES
						+ " bytes, more than maxSectionIdSize " + attributes.maxSectionIdSize() + " of " + replica);
			}
			do {
				id = SectionId.wrap(ByteBuffer.allocate(GENERATED_ID_BYTES).putLong(replica.nextGenerated++).array());
			}
			while (replica.sections.containsKey(id));
		}
		else if (id.length() == 0) {
			return Outcome.failed(CheckpointError.INVALID, "the default section is made with its checkpoint");
		}
		else if (id.length() > attributes.maxSectionIdSize()) {
			return Outcome.failed(CheckpointError.NO_SPACE, "section id of " + id.length()
					+ " bytes is longer than maxSectionIdSize " + attributes.maxSectionIdSize() + " of " + replica);
		}
		else if (replica.sections.containsKey(id)) {
			return Outcome.failed(CheckpointError.EXISTS, "section " + id + " of " + replica);
		}
		int size = create.data().length;
		Outcome refused = room(replica, size, size);
		if (refused != null) {
			return refused;
		}
		replica.sections.put(id, new Section(create.expiration(), create.data()));
		this.totalSections++;
		grow(replica, size);
		if (create.expiration() != NEVER) {
			this.expiries.add(new Expiry(create.expiration(), replica.id, id));
			timersChanged();
		}
		return new Outcome(null, "", replica.id, null, id);
	}

	/** Writes all parts, or none if one of them is refused. */
	private Outcome write(Replica replica, List<SectionWrite> writes) {
		// the sizes the sections would have after each part, in order
		TreeMap<SectionId, Long> sizes = new TreeMap<>();
		long growth = 0;
		for (SectionWrite part : writes) {
			Section section = replica.sections.get(part.section());
			if (section == null) {
				return Outcome.failed(CheckpointError.NOT_FOUND, "section " + part.section() + " of " + replica);
			}
			long size = sizes.getOrDefault(part.section(), (long) section.data.length);
			if (part.offset() > size) {
				return Outcome.failed(CheckpointError.INVALID, "offset " + part.offset() + " is beyond the end of section "
						+ part.section() + " (" + size + " bytes)");
			}
			long end = (long) part.offset() + part.data().length;
			if (end > size) {
				if (end > replica.attributes.maxSectionSize()) {
					return Outcome.failed(CheckpointError.NO_SPACE, "section " + part.section() + " would hold " + end
							+ " bytes, more than maxSectionSize " + replica.attributes.maxSectionSize() + " of " + replica);
				}
				growth += end - size;
				sizes.put(part.section(), end);
			}
		}
		Outcome refused = room(replica, 0, growth);
		if (refused != null) {
			return refused;
		}
		for (SectionWrite part : writes) {
			Section section = replica.sections.get(part.section());
			int end = part.offset() + part.data().length;
			if (end > section.data.length) {
				section.data = Arrays.copyOf(section.data, end);
			}
			System.arraycopy(part.data(), 0, section.data, part.offset(), part.data().length);
		}
		grow(replica, growth);
		return Outcome.OK;
	}

	/** Why a section of {@code size} bytes, growing the checkpoint by {@code growth}, does not fit, or {@code null}. */
	private @Nullable Outcome room(Replica replica, long size, long growth) {
		CheckpointAttributes attributes = replica.attributes;
		if (size > attributes.maxSectionSize()) {
			return Outcome.failed(CheckpointError.NO_SPACE, "a section of " + size
					+ " bytes is larger than maxSectionSize " + attributes.maxSectionSize() + " of " + replica);
		}
		if (replica.bytes + growth > attributes.maxSize()) {
			return Outcome.failed(CheckpointError.NO_SPACE, replica + " would hold " + (replica.bytes + growth)
					+ " bytes, more than its maxSize " + attributes.maxSize());
		}
		if (this.totalBytes + growth > CheckpointService.MAX_TOTAL_BYTES) {
			return Outcome.failed(CheckpointError.NO_SPACE, "the service would hold " + (this.totalBytes + growth)
					+ " bytes, more than its limit of " + CheckpointService.MAX_TOTAL_BYTES);
		}
		return null;
	}

	private void grow(Replica replica, long growth) {
		replica.bytes += growth;
		this.totalBytes += growth;
	}

	private static String sectionsCap() {
		return "the service holds " + CheckpointService.MAX_SECTIONS + " sections, its limit";
	}

	private void expire(long now) {
		Iterator<Expiry> soonest = this.expiries.iterator();
		while (soonest.hasNext()) {
			Expiry expiry = soonest.next();
			if (expiry.at() > now) {
				break;
			}
			soonest.remove();
			Replica replica = this.checkpoints.get(expiry.checkpoint());
			Section section = replica.sections.remove(expiry.section());
			this.totalSections--;
			grow(replica, -section.data.length);
		}
		timersChanged();
	}

	private void removed(Replica replica, SectionId id, Section section) {
		this.totalSections--;
		grow(replica, -section.data.length);
		if (section.expiration != NEVER) {
			this.expiries.remove(new Expiry(section.expiration, replica.id, id));
			timersChanged();
		}
	}

	/** A checkpoint lost its last opener: an unlinked one goes, a linked one's retention starts. */
	private void noOpeners(Replica replica) {
		if (replica.unlinked) {
			delete(replica);
			return;
		}
		replica.idleGeneration = ++this.generation;
		this.idle.put(replica.name, replica);
		timersChanged();
	}

	private void delete(Replica replica) {
		this.checkpoints.remove(replica.id);
		if (!replica.unlinked) {
			this.names.remove(replica.name);
			this.idle.remove(replica.name);
		}
		this.totalOpeners -= replica.openers.size();
		for (Map.Entry<SectionId, Section> section : replica.sections.entrySet()) {
			removed(replica, section.getKey(), section.getValue());
		}
		timersChanged();
	}

	private void removeOpeners(Member member) {
		for (Replica replica : List.copyOf(this.checkpoints.values())) {
			int before = replica.openers.size();
			if (replica.openers.removeIf((opener) -> opener.member().equals(member))) {
				this.totalOpeners -= before - replica.openers.size();
				if (replica.openers.isEmpty()) {
					noOpeners(replica);
				}
			}
		}
	}

	@Override
	protected void clear() {
		this.checkpoints.clear();
		this.names.clear();
		this.idle.clear();
		this.expiries.clear();
		this.nextCheckpoint = 1;
		this.generation = 0;
		this.totalBytes = 0;
		this.totalSections = 0;
		this.totalOpeners = 0;
		timersChanged();
	}

	// ---------------------------------------------------------------------------------------------
	// Reads of the local replica

	/** The checkpoint if {@code member}'s {@code handle} has it open. */
	private Replica opened(long checkpoint, Member member, long handle) throws CheckpointException {
		Replica replica = this.checkpoints.get(checkpoint);
		if (replica == null || !replica.openers.contains(new Opener(member, handle))) {
			throw new CheckpointException(CheckpointError.CLOSED, "handle " + handle + " is not open");
		}
		return replica;
	}

	/**
	 * Up to {@code length} bytes of a section from {@code offset}: fewer when the section ends first (AIS
	 * reports the size read), none at its end.
	 */
	byte[] read(long checkpoint, Member member, long handle, SectionId id, int offset, int length)
			throws CheckpointException {
		Replica replica = opened(checkpoint, member, handle);
		Section section = replica.sections.get(id);
		if (section == null) {
			throw new CheckpointException(CheckpointError.NOT_FOUND, "section " + id + " of " + replica);
		}
		if (offset < 0 || length < 0 || offset > section.data.length) {
			throw new CheckpointException(CheckpointError.INVALID, "offset " + offset + ", length " + length
					+ " of section " + id + " (" + section.data.length + " bytes)");
		}
		return Arrays.copyOfRange(section.data, offset, offset + Math.min(length, section.data.length - offset));
	}

	List<SectionDescriptor> sections(long checkpoint, Member member, long handle, SectionFilter filter)
			throws CheckpointException {
		Replica replica = opened(checkpoint, member, handle);
		List<SectionDescriptor> sections = new ArrayList<>();
		for (Map.Entry<SectionId, Section> entry : replica.sections.entrySet()) {
			long expiration = entry.getValue().expiration;
			if (filter.accepts(expiration)) {
				sections.add(new SectionDescriptor(entry.getKey(),
						(expiration == NEVER) ? null : Instant.ofEpochMilli(expiration), entry.getValue().data.length));
			}
		}
		return sections;
	}

	CheckpointStatus status(long checkpoint, Member member, long handle) throws CheckpointException {
		return opened(checkpoint, member, handle).status();
	}

	/** Every checkpoint, linked ones by name first, then unlinked ones still open. */
	List<CheckpointStatus> checkpoints() {
		List<CheckpointStatus> all = new ArrayList<>();
		for (Replica replica : this.names.values()) {
			all.add(replica.status());
		}
		for (Replica replica : this.checkpoints.values()) {
			if (replica.unlinked) {
				all.add(replica.status());
			}
		}
		return all;
	}

	/** The linked checkpoints without openers, whose retention runs. */
	List<Retention> idle() {
		List<Retention> all = new ArrayList<>(this.idle.size());
		for (Replica replica : this.idle.values()) {
			all.add(new Retention(replica.name, replica.idleGeneration, replica.attributes.retentionMillis()));
		}
		return all;
	}

	/** The soonest expiration of a section, or {@link #NEVER}. */
	long nextExpiration() {
		return this.expiries.isEmpty() ? NEVER : this.expiries.first().at();
	}

	/** The data of a linked checkpoint's section, whoever has it open, or {@code null}; for tests. */
	byte @Nullable [] sectionData(String name, SectionId id) {
		Replica replica = this.names.get(name);
		Section section = (replica != null) ? replica.sections.get(id) : null;
		return (section != null) ? section.data.clone() : null;
	}

	long totalBytes() {
		return this.totalBytes;
	}

	/**
	 * The whole state as text, the same on two members exactly when their states are: for tests that
	 * compare replicas (section data as a SHA-256 and its length).
	 */
	String dump() {
		StringBuilder text = new StringBuilder();
		text.append("next ").append(this.nextCheckpoint).append(" generation ").append(this.generation)
			.append(" bytes ").append(this.totalBytes).append(" sections ").append(this.totalSections)
			.append(" openers ").append(this.totalOpeners).append('\n');
		for (Replica replica : this.checkpoints.values()) {
			text.append(replica.id).append(' ').append(replica.unlinked ? "unlinked " : "").append(replica.name)
				.append(' ').append(replica.attributes).append(" idle ").append(replica.idleGeneration)
				.append(" generated ").append(replica.nextGenerated).append(" bytes ").append(replica.bytes)
				.append(" openers ").append(replica.openers).append('\n');
			for (Map.Entry<SectionId, Section> section : replica.sections.entrySet()) {
				text.append("  ").append(HexFormat.of().formatHex(section.getKey().raw())).append(" expires ")
					.append(section.getValue().expiration).append(' ').append(section.getValue().data.length)
					.append(" bytes ").append(sha256(section.getValue().data)).append('\n');
			}
		}
		return text.toString();
	}

	private static String sha256(byte[] data) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	// ---------------------------------------------------------------------------------------------
	// The model

	/** A handle that has a checkpoint open: its member and the member's number for it. */
	record Opener(Member member, long handle) implements Comparable<Opener> {

		private static final Comparator<Opener> ORDER = Comparator.comparing(Opener::member)
			.thenComparingLong(Opener::handle);

		@Override
		public int compareTo(Opener other) {
			return ORDER.compare(this, other);
		}

		@Override
		public String toString() {
			return this.member + "#" + this.handle;
		}

	}

	/** A section's expiration, in the index of those that expire. */
	record Expiry(long at, long checkpoint, SectionId section) implements Comparable<Expiry> {

		private static final Comparator<Expiry> ORDER = Comparator.comparingLong(Expiry::at)
			.thenComparingLong(Expiry::checkpoint)
			.thenComparing(Expiry::section);

		@Override
		public int compareTo(Expiry other) {
			return ORDER.compare(this, other);
		}

	}

	/** One checkpoint's replica. */
	static final class Replica {

		final long id;

		/** Its name; once unlinked, the name it had. */
		final String name;

		final CheckpointAttributes attributes;

		boolean unlinked;

		/** While it has no openers, the generation its retention runs for; 0 while it has some. */
		long idleGeneration;

		long nextGenerated;

		final TreeSet<Opener> openers = new TreeSet<>();

		final TreeMap<SectionId, Section> sections = new TreeMap<>();

		long bytes;

		Replica(long id, String name, CheckpointAttributes attributes) {
			this.id = id;
			this.name = name;
			this.attributes = attributes;
		}

		CheckpointStatus status() {
			return new CheckpointStatus(this.name, this.attributes, this.unlinked, this.openers.size(),
					this.sections.size(), this.bytes);
		}

		@Override
		public String toString() {
			return "checkpoint '" + this.name + "'";
		}

	}

	/** A section's data and expiration ({@link #NEVER} for none). */
	static final class Section {

		final long expiration;

		byte[] data;

		Section(long expiration, byte[] data) {
			this.expiration = expiration;
			this.data = data;
		}

	}

}
