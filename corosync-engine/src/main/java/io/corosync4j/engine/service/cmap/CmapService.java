package io.corosync4j.engine.service.cmap;

import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;

import io.corosync4j.engine.config.ValueType;
import io.corosync4j.engine.service.ServiceContext;
import io.corosync4j.engine.service.ServiceEngine;
import io.corosync4j.engine.service.cmap.CmapMessages.ConfigVersion;
import io.corosync4j.engine.sync.SyncService;
import io.corosync4j.engine.totem.wire.RingId;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CMAP service engine (service 0). Its one job on the ring is {@code totem.config_version}: each
 * member announces its version during synchronization, the versions land in
 * {@code runtime.members.<id>.config_version}, and a node that joins an existing ring with a different
 * non-zero version leaves ("Received config version (…) is different than my config version (…)!
 * Exiting"), as Corosync does, so a stale configuration cannot run beside a new one.
 */
public final class CmapService implements ServiceEngine, SyncService {

	private static final Logger logger = LoggerFactory.getLogger(CmapService.class);

	private final Cmap cmap;

	private @Nullable ServiceContext context;

	private int transitionalMembers;

	private int members;

	private long myConfigVersion;

	private long highestReceived;

	private boolean firstSync = true;

	private @Nullable byte[] pendingAnnouncement;

	private long malformed;

	public CmapService(Cmap cmap) {
		this.cmap = cmap;
	}

	public Cmap cmap() {
		return this.cmap;
	}

	/** CMAP messages too short for what they claim to hold. */
	public long malformedMessages() {
		return this.malformed;
	}

	@Override
	public int serviceId() {
		return CMAP;
	}

	@Override
	public int functionCount() {
		return 1;
	}

	@Override
	public String name() {
		return "corosync configuration map access";
	}

	@Override
	public void start(ServiceContext serviceContext) {
		this.context = serviceContext;
		serviceContext.whenSendable(this::flushAnnouncement);
		this.cmap.track(CmapMessages.CONFIG_VERSION,
				EnumSet.of(CmapEvent.Type.ADD, CmapEvent.Type.DELETE, CmapEvent.Type.MODIFY), false,
				(event) -> serviceContext.loop().execute(this::announceNewVersion));
	}

	@Override
	public void deliver(long nodeid, int function, byte[] message, boolean bigEndian) {
		ConfigVersion decoded = (function == CmapMessages.MCAST) ? CmapMessages.decode(message, bigEndian) : null;
		if (decoded == null) {
			this.malformed++;
			return;
		}
		if (decoded.reason() != CmapMessages.REASON_SYNC && decoded.reason() != CmapMessages.REASON_NEW_CONFIG_VERSION) {
			logger.debug("Received mcast with unknown reason {}", decoded.reason());
			return;
		}
		if (nodeid != context().nodeId() && decoded.version() > this.highestReceived) {
			this.highestReceived = decoded.version();
		}
		this.cmap.putNumber("runtime.members." + nodeid + ".config_version", ValueType.UINT64, decoded.version());
	}

	// ---------------------------------------------------------------------------------------------
	// SyncService

	@Override
	public void init(List<Long> transitional, List<Long> members, RingId ringId) {
		this.transitionalMembers = transitional.size();
		this.members = members.size();
		this.myConfigVersion = this.cmap.getLong(CmapMessages.CONFIG_VERSION).orElse(0L);
		this.highestReceived = this.myConfigVersion;
	}

	@Override
	public boolean process() {
		return context().mcast(CmapMessages.configVersion(CmapMessages.REASON_SYNC, configuredVersion()));
	}

	@Override
	public void activate() {
		// Corosync tests only the transitional list: its nodes always form a singleton ring first. Ours may
		// join a running ring straight away, so a ring with others counts even without a transitional list
		if (this.transitionalMembers == 0 && this.members == 1) {
			logger.debug("Single node sync -> no action");
			return;
		}
		if (!this.firstSync) {
			logger.debug("Not first sync -> no action");
			return;
		}
		this.firstSync = false;
		if (this.myConfigVersion == 0) {
			logger.debug("My config version is 0 -> no action");
			return;
		}
		if (this.highestReceived != this.myConfigVersion) {
			String reason = "Received config version (" + Long.toUnsignedString(this.highestReceived)
					+ ") is different than my config version (" + Long.toUnsignedString(this.myConfigVersion)
					+ ")! Exiting";
			logger.error(reason);
			context().requestShutdown(reason, ServiceContext.EXIT_NORMAL);
		}
	}

	@Override
	public void abort() {
	}

	// ---------------------------------------------------------------------------------------------

	private OptionalLong configuredVersion() {
		return this.cmap.getLong(CmapMessages.CONFIG_VERSION).map(OptionalLong::of).orElse(OptionalLong.empty());
	}

	private void announceNewVersion() {
		this.myConfigVersion = this.cmap.getLong(CmapMessages.CONFIG_VERSION).orElse(0L);
		this.pendingAnnouncement = CmapMessages.configVersion(CmapMessages.REASON_NEW_CONFIG_VERSION,
				configuredVersion());
		flushAnnouncement();
	}

	private void flushAnnouncement() {
		byte[] pending = this.pendingAnnouncement;
		if (pending != null && context().mcast(pending)) {
			this.pendingAnnouncement = null;
		}
	}

	private ServiceContext context() {
		ServiceContext current = this.context;
		if (current == null) {
			throw new IllegalStateException("CMAP has not started");
		}
		return current;
	}

}
