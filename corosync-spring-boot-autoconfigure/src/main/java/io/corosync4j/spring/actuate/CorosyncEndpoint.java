package io.corosync4j.spring.actuate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import io.corosync4j.engine.config.ConfigEntry;
import io.corosync4j.engine.lock.LockResourceView;
import io.corosync4j.engine.lock.LockService;
import io.corosync4j.engine.replica.Member;
import io.corosync4j.engine.runtime.CorosyncNode;
import io.corosync4j.engine.runtime.Membership;
import io.corosync4j.engine.sam.Sam;
import io.corosync4j.engine.sam.SamComponent;
import io.corosync4j.engine.service.cfg.CfgException;
import io.corosync4j.engine.service.cfg.LinkStatus;
import io.corosync4j.engine.service.cpg.CpgAddress;
import io.corosync4j.engine.service.cpg.CpgName;
import io.corosync4j.engine.service.votequorum.QuorumFeature;
import io.corosync4j.engine.service.votequorum.QuorumNode;
import io.corosync4j.engine.service.votequorum.QuorumState;
import io.corosync4j.engine.servicegroup.ServiceGroupException;
import io.corosync4j.engine.servicegroup.ServiceGroupService;
import io.corosync4j.engine.servicegroup.ServiceGroupView;
import io.corosync4j.engine.servicegroup.ServiceUnitState;
import io.corosync4j.engine.servicegroup.ServiceUnitView;
import io.corosync4j.spring.CorosyncIpcLifecycle;
import io.corosync4j.spring.CorosyncNodeLifecycle;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * {@code /actuator/corosync}: the node, its ring and members, CPG groups, quorum (as
 * {@code corosync-quorumtool -s}), links (as {@code corosync-cfgtool -s}), its IPC's connections when it
 * serves Corosync's tools; {@code /actuator/corosync/{prefix}}
 * lists CMAP keys. Once the application started the lock service, its resources with their holders and
 * waiters are shown too, and once it started the service group service, its groups. Writes
 * ({@code POST /actuator/corosync/kill-node} with {@code nodeid} and {@code reason},
 * {@code POST /actuator/corosync/reload}, {@code POST /actuator/corosync/switchover} with {@code group}
 * and an optional target {@code nodeid}) answer 403 unless {@code corosync.endpoint.write-operations}
 * is on.
 */
@Endpoint(id = "corosync")
public class CorosyncEndpoint {

	private static final int FORBIDDEN = 403;

	/** How long the view of a replicated service (locks, service groups) may take. */
	private static final long VIEW_TIMEOUT_MILLIS = 2000;

	private final CorosyncNodeLifecycle lifecycle;

	private final boolean writeOperations;

	private final @Nullable Sam sam;

	private final Supplier<@Nullable LockService> locks;

	private final Supplier<@Nullable ServiceGroupService> serviceGroups;

	private final @Nullable CorosyncIpcLifecycle ipc;

	public CorosyncEndpoint(CorosyncNodeLifecycle lifecycle, boolean writeOperations, @Nullable Sam sam) {
		this(lifecycle, writeOperations, sam, () -> null);
	}

	public CorosyncEndpoint(CorosyncNodeLifecycle lifecycle, boolean writeOperations, @Nullable Sam sam,
			Supplier<@Nullable LockService> locks) {
		this(lifecycle, writeOperations, sam, locks, () -> null);
	}

	/**
	 * @param lifecycle the node
	 * @param writeOperations whether kill-node, reload and switchover may be used
	 * @param sam the application's SAM components, if any
	 * @param locks the node's lock service if it was started, else {@code null}: the endpoint never starts it
	 * @param serviceGroups the node's service group service if it was started, else {@code null}: the
	 * endpoint never starts it
	 */
	public CorosyncEndpoint(CorosyncNodeLifecycle lifecycle, boolean writeOperations, @Nullable Sam sam,
			Supplier<@Nullable LockService> locks, Supplier<@Nullable ServiceGroupService> serviceGroups) {
		this(lifecycle, writeOperations, sam, locks, serviceGroups, null);
	}

	/**
	 * As {@link #CorosyncEndpoint(CorosyncNodeLifecycle, boolean, Sam, Supplier, Supplier)}, with the node's
	 * IPC when {@code corosync.ipc.enabled} serves it.
	 */
	public CorosyncEndpoint(CorosyncNodeLifecycle lifecycle, boolean writeOperations, @Nullable Sam sam,
			Supplier<@Nullable LockService> locks, Supplier<@Nullable ServiceGroupService> serviceGroups,
			@Nullable CorosyncIpcLifecycle ipc) {
		this.ipc = ipc;
		this.lifecycle = lifecycle;
		this.writeOperations = writeOperations;
		this.sam = sam;
		this.locks = locks;
		this.serviceGroups = serviceGroups;
	}

	@ReadOperation
	public NodeDescriptor corosync() {
		CorosyncNode node = this.lifecycle.getNode();
		Membership membership = node.membership();
		List<LinkStatus> links = node.cfg().linkStatus();
		List<MemberDescriptor> members = new ArrayList<>();
		for (long member : membership.members()) {
			String address = node.cmap().getString("runtime.members." + member + ".ip").orElse("").trim();
			members.add(new MemberDescriptor(member, address, member == node.nodeId()));
		}
		Map<String, List<String>> groups = new TreeMap<>();
		for (Map.Entry<CpgName, List<CpgAddress>> group : node.cpg().groups().entrySet()) {
			groups.put(group.getKey().toString(),
					group.getValue().stream().map((address) -> address.nodeid() + "/" + address.pid()).toList());
		}
		QuorumDescriptor quorum = node.votequorum().map((service) -> service.state()).map(QuorumDescriptor::of)
			.orElse(null);
		List<SamComponent.Status> components = (this.sam != null)
				? this.sam.components().stream().map(SamComponent::status).toList() : List.of();
		return new NodeDescriptor(node.nodeId(), node.config().totem().clusterName(), String.valueOf(membership.ringId()),
				membership.synced(), members, groups, quorum, links, components, locks(), serviceGroups(), ipc());
	}

	private @Nullable IpcDescriptor ipc() {
		CorosyncIpcLifecycle current = this.ipc;
		if (current == null) {
			return null;
		}
		Integer connections = current.getConnections();
		Path namespace = current.getSettings().networkNamespace();
		Path sockets = current.getSettings().socketDirectory();
		return new IpcDescriptor(connections != null, (connections != null) ? connections : 0,
				(namespace != null) ? namespace.toString() : null, (sockets != null) ? sockets.toString() : null,
				current.getTransport());
	}

	private @Nullable ServiceGroupsDescriptor serviceGroups() {
		ServiceGroupService service = this.serviceGroups.get();
		if (service == null) {
			return null;
		}
		boolean primary = service.inPrimaryComponent();
		Map<String, ServiceUnitState> units = new TreeMap<>();
		service.units().forEach((group, unit) -> units.put(group, unit.state()));
		try {
			return new ServiceGroupsDescriptor(primary, units,
					service.groups().get(VIEW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
		}
		catch (ExecutionException | TimeoutException ex) {
			return new ServiceGroupsDescriptor(primary, units, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ServiceGroupsDescriptor(primary, units, null);
		}
	}

	private @Nullable LocksDescriptor locks() {
		LockService service = this.locks.get();
		if (service == null) {
			return null;
		}
		boolean primary = service.inPrimaryComponent();
		try {
			return new LocksDescriptor(primary, service.resources().get(VIEW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS));
		}
		catch (ExecutionException | TimeoutException ex) {
			return new LocksDescriptor(primary, null);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new LocksDescriptor(primary, null);
		}
	}

	/** A switchover of {@code group}, to the unit of node {@code nodeid} or to the best standby. */
	private WebEndpointResponse<Map<String, Object>> switchover(@Nullable String group, @Nullable Long nodeid)
			throws ExecutionException, TimeoutException, InterruptedException {
		ServiceGroupService service = this.serviceGroups.get();
		if (group == null || group.isBlank()) {
			return new WebEndpointResponse<>(Map.of("error", "switchover needs a group"),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		if (service == null) {
			return new WebEndpointResponse<>(Map.of("error", "this application has not started the service group "
					+ "service; switch over from a member that offers units"), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		if (nodeid == null) {
			service.switchover(group).get(10, TimeUnit.SECONDS);
			return new WebEndpointResponse<>(Map.of("switchedOver", group));
		}
		ServiceGroupView view = service.groups()
			.get(VIEW_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
			.stream()
			.filter((candidate) -> candidate.name().equals(group))
			.findFirst()
			.orElse(null);
		Member target = (view != null) ? view.units().stream().map(ServiceUnitView::member)
			.filter((member) -> member.nodeid() == nodeid).findFirst().orElse(null) : null;
		if (target == null) {
			return new WebEndpointResponse<>(Map.of("error", "node " + nodeid + " has no unit of service group '"
					+ group + "'"), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		service.switchover(group, target).get(10, TimeUnit.SECONDS);
		return new WebEndpointResponse<>(Map.of("switchedOver", group, "to", target.toString()));
	}

	@ReadOperation
	public CmapDescriptor cmap(@Selector String prefix) {
		List<CmapEntry> entries = new ArrayList<>();
		for (ConfigEntry entry : this.lifecycle.getNode().cmap().entries(prefix)) {
			entries.add(new CmapEntry(entry.key(), entry.type().cmapName(), entry.valueText()));
		}
		return new CmapDescriptor(prefix, entries);
	}

	/**
	 * {@code kill-node} (with {@code nodeid} and an optional {@code reason}) or {@code reload}, as
	 * {@code corosync-cfgtool -k} and {@code -R} do.
	 */
	public WebEndpointResponse<Map<String, Object>> operate(String operation, @Nullable Long nodeid,
			@Nullable String reason) {
		return operate(operation, nodeid, reason, null);
	}

	/**
	 * {@code kill-node} (with {@code nodeid} and an optional {@code reason}) or {@code reload}, as
	 * {@code corosync-cfgtool -k} and {@code -R} do; {@code switchover} (with {@code group}, and the
	 * {@code nodeid} of the standby to switch to, else the best one) moves a service group's activity.
	 */
	@WriteOperation
	public WebEndpointResponse<Map<String, Object>> operate(@Selector String operation, @Nullable Long nodeid,
			@Nullable String reason, @Nullable String group) {
		if (!this.writeOperations) {
			return new WebEndpointResponse<>(Map.of("error", "write operations are off; set "
					+ "corosync.endpoint.write-operations=true to allow " + operation), FORBIDDEN);
		}
		CorosyncNode node = this.lifecycle.getNode();
		try {
			switch (operation) {
				case "kill-node" -> {
					if (nodeid == null) {
						return new WebEndpointResponse<>(Map.of("error", "kill-node needs a nodeid"),
								WebEndpointResponse.STATUS_BAD_REQUEST);
					}
					node.cfg().killNode(nodeid, (reason != null) ? reason : "killed through the corosync endpoint")
						.get(10, TimeUnit.SECONDS);
					return new WebEndpointResponse<>(Map.of("killed", nodeid));
				}
				case "reload" -> {
					node.cfg().reload().get(30, TimeUnit.SECONDS);
					return new WebEndpointResponse<>(Map.of("reloaded", true));
				}
				case "switchover" -> {
					return switchover(group, nodeid);
				}
				default -> {
					return new WebEndpointResponse<>(Map.of("error", "unknown operation '" + operation
							+ "' (kill-node, reload, switchover)"), WebEndpointResponse.STATUS_NOT_FOUND);
				}
			}
		}
		catch (ExecutionException ex) {
			String message = (ex.getCause() instanceof CfgException cfg) ? cfg.error() + ": " + cfg.getMessage()
					: (ex.getCause() instanceof ServiceGroupException groups) ? groups.error() + ": " + groups.getMessage()
					: String.valueOf(ex.getCause());
			return new WebEndpointResponse<>(Map.of("error", message), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		catch (TimeoutException ex) {
			return new WebEndpointResponse<>(Map.of("error", operation + " did not complete in time"),
					WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new WebEndpointResponse<>(Map.of("error", "interrupted"), WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE);
		}
	}

	/**
	 * The node as the endpoint shows it.
	 *
	 * @param nodeId this node
	 * @param clusterName {@code totem.cluster_name}
	 * @param ringId the current ring
	 * @param synced whether synchronization after the last membership change completed
	 * @param members the ring's members with their addresses
	 * @param groups CPG groups and their processes ({@code node/pid})
	 * @param quorum votequorum's view, {@code null} without a quorum provider
	 * @param links the links and the nodes on them
	 * @param sam the SAM components of this application
	 * @param locks the lock service's resources, {@code null} until the application started the service
	 * @param serviceGroups the service groups, {@code null} until the application started the service
	 */
	public record NodeDescriptor(long nodeId, String clusterName, String ringId, boolean synced,
			List<MemberDescriptor> members, Map<String, List<String>> groups, @Nullable QuorumDescriptor quorum,
			List<LinkStatus> links, List<SamComponent.Status> sam, @Nullable LocksDescriptor locks,
			@Nullable ServiceGroupsDescriptor serviceGroups, @Nullable IpcDescriptor ipc) implements OperationResponseBody {
	}

	/**
	 * The node's libqb IPC, shown when {@code corosync.ipc.enabled}.
	 *
	 * @param serving whether Corosync's tools and libraries can connect now
	 * @param connections the clients connected now
	 * @param networkNamespace the namespace served in, {@code null} for the application's
	 * @param socketDirectory where the filesystem sockets are, {@code null} for abstract sockets
	 * @param transport how connected clients' messages travel, as {@code qb_ipc_type} names it: {@code shm}
	 * (libqb's shared memory) or {@code socket}
	 */
	public record IpcDescriptor(boolean serving, int connections, @Nullable String networkNamespace,
			@Nullable String socketDirectory, String transport) {
	}

	/**
	 * The service groups as this member's table has them.
	 *
	 * @param inPrimaryComponent whether this member holds the table (it is in the primary component and
	 * synchronized): only then does it take part in assignments
	 * @param units the state each unit of this process was last told, by group
	 * @param groups every group with its units (member, rank, state, failure), its active member
	 * ({@code node/pid}), whether it waits out a grace period, and its failover and switchover counts;
	 * empty without the table, {@code null} when the service did not answer within 2 seconds
	 */
	public record ServiceGroupsDescriptor(boolean inPrimaryComponent, Map<String, ServiceUnitState> units,
			@Nullable List<ServiceGroupView> groups) {
	}

	/**
	 * The lock service as this member's copy of the lock table has it.
	 *
	 * @param inPrimaryComponent whether this member holds the table (it is in the primary component and
	 * synchronized): only then are its locks granted and its view current
	 * @param resources every resource with holders or waiters (node, pid, owner, mode, fencing token, and
	 * whether orphaned or in grace); empty without the table, {@code null} when the service did not answer
	 * within 2 seconds
	 */
	public record LocksDescriptor(boolean inPrimaryComponent, @Nullable List<LockResourceView> resources) {
	}

	/**
	 * A ring member.
	 *
	 * @param nodeId the node
	 * @param address its addresses, as {@code runtime.members.<id>.ip}
	 * @param local whether it is this node
	 */
	public record MemberDescriptor(long nodeId, String address, boolean local) {
	}

	/**
	 * What {@code corosync-quorumtool -s} prints.
	 *
	 * @param quorate whether the partition is quorate
	 * @param expectedVotes this node's expected votes
	 * @param highestExpected the highest expected votes of any member
	 * @param totalVotes the members' votes
	 * @param quorum the votes needed
	 * @param flags the features in effect, as quorumtool names them
	 * @param nodes each node with its votes
	 */
	public record QuorumDescriptor(boolean quorate, long expectedVotes, long highestExpected, long totalVotes,
			long quorum, List<String> flags, List<QuorumNode> nodes) {

		static QuorumDescriptor of(QuorumState state) {
			List<String> flags = new ArrayList<>();
			if (state.quorate()) {
				flags.add("Quorate");
			}
			for (QuorumFeature feature : state.features()) {
				flags.add(feature.label());
			}
			return new QuorumDescriptor(state.quorate(), state.expectedVotes(), state.highestExpected(),
					state.totalVotes(), state.quorum(), flags, state.nodes());
		}

	}

	/**
	 * CMAP keys under a prefix.
	 *
	 * @param prefix the prefix
	 * @param entries the keys in name order
	 */
	public record CmapDescriptor(String prefix, List<CmapEntry> entries) implements OperationResponseBody {
	}

	/**
	 * One CMAP key.
	 *
	 * @param key the key
	 * @param type its type, as {@code corosync-cmapctl} names it
	 * @param value its value as text
	 */
	public record CmapEntry(String key, String type, String value) {
	}

}
