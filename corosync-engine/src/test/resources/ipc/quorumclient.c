/*
 * A client of libquorum, libvotequorum and libcfg for corosync4j's IPC tests: asks the node every
 * question these libraries can ask without changing anything, and prints the answers one per line.
 * Lines that start with "local " depend on which node answers; every other line is the same on every
 * member of one ring. Usage: quorumclient <nodeid>... (the nodes to ask about)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <corosync/corotypes.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>
#include <corosync/cfg.h>

static void v0_notified(quorum_handle_t handle, uint32_t quorate, uint64_t ring_seq, uint32_t entries,
		uint32_t *list)
{
	printf("quorum v0 notification quorate=%u seq=%llu members=", quorate, (unsigned long long)ring_seq);
	for (uint32_t i = 0; i < entries; i++) {
		printf("%s%u", i ? "," : "", list[i]);
	}
	printf("\n");
}

static void v1_notified(quorum_handle_t handle, uint32_t quorate, struct quorum_ring_id ring, uint32_t entries,
		const uint32_t *list)
{
	printf("quorum v1 notification quorate=%u ring=%u.%llu members=", quorate, ring.nodeid,
		(unsigned long long)ring.seq);
	for (uint32_t i = 0; i < entries; i++) {
		printf("%s%u", i ? "," : "", list[i]);
	}
	printf("\n");
}

static void v1_nodelist(quorum_handle_t handle, struct quorum_ring_id ring, uint32_t members,
		const uint32_t *member_list, uint32_t joined, const uint32_t *joined_list, uint32_t left,
		const uint32_t *left_list)
{
	printf("quorum v1 nodelist ring=%u.%llu members=", ring.nodeid, (unsigned long long)ring.seq);
	for (uint32_t i = 0; i < members; i++) {
		printf("%s%u", i ? "," : "", member_list[i]);
	}
	printf(" joined=%u left=%u\n", joined, left);
}

static void vq_quorum(votequorum_handle_t handle, uint64_t context, uint32_t quorate, uint32_t entries,
		votequorum_node_t list[])
{
	/* the list's order depends on the order the answering node heard of the others */
	printf("local votequorum notification context=%llu quorate=%u nodes=", (unsigned long long)context, quorate);
	for (uint32_t i = 0; i < entries; i++) {
		printf("%s%u:%u", i ? "," : "", list[i].nodeid, list[i].state);
	}
	printf("\n");
}

static void vq_nodelist(votequorum_handle_t handle, uint64_t context, votequorum_ring_id_t ring, uint32_t entries,
		uint32_t list[])
{
	printf("votequorum nodelist context=%llu ring=%u.%llu members=", (unsigned long long)context, ring.nodeid,
		(unsigned long long)ring.seq);
	for (uint32_t i = 0; i < entries; i++) {
		printf("%s%u", i ? "," : "", list[i]);
	}
	printf("\n");
}

static void quorum_part(void)
{
	quorum_handle_t handle;
	quorum_callbacks_t callbacks = { .quorum_notify_fn = v0_notified };
	uint32_t type;
	int quorate;
	printf("quorum_initialize %d", quorum_initialize(&handle, &callbacks, &type));
	printf(" type=%u\n", type);
	printf("quorum_getquorate %d", quorum_getquorate(handle, &quorate));
	printf(" quorate=%d\n", quorate);
	printf("quorum_trackstop untracked %d\n", quorum_trackstop(handle));
	printf("quorum_trackstart %d\n", quorum_trackstart(handle, CS_TRACK_CURRENT));
	printf("quorum_dispatch %d\n", quorum_dispatch(handle, CS_DISPATCH_ONE));
	quorum_finalize(handle);

	quorum_model_v1_data_t model = { .model = QUORUM_MODEL_V1, .quorum_notify_fn = v1_notified,
		.nodelist_notify_fn = v1_nodelist };
	printf("quorum_model_initialize %d", quorum_model_initialize(&handle, QUORUM_MODEL_V1,
		(quorum_model_data_t *)&model, &type, NULL));
	printf(" type=%u\n", type);
	printf("quorum_trackstart v1 %d\n", quorum_trackstart(handle, CS_TRACK_CHANGES));
	printf("quorum_trackstart again %d\n", quorum_trackstart(handle, CS_TRACK_CHANGES));
	for (int i = 0; i < 4; i++) {
		quorum_dispatch(handle, CS_DISPATCH_ONE);
	}
	printf("quorum_trackstop %d\n", quorum_trackstop(handle));
	quorum_finalize(handle);
}

static void votequorum_part(int count, char **nodes)
{
	votequorum_handle_t handle;
	votequorum_callbacks_t callbacks = { .votequorum_quorum_notify_fn = vq_quorum,
		.votequorum_nodelist_notify_fn = vq_nodelist };
	struct votequorum_info info;
	printf("votequorum_initialize %d\n", votequorum_initialize(&handle, &callbacks));
	memset(&info, 0, sizeof(info));
	cs_error_t error = votequorum_getinfo(handle, 0, &info);
	printf("local votequorum_getinfo 0 %d node=%u\n", error, info.node_id);
	for (int i = 0; i < count; i++) {
		unsigned int nodeid = atoi(nodes[i]);
		memset(&info, 0, sizeof(info));
		error = votequorum_getinfo(handle, nodeid, &info);
		printf("votequorum_getinfo %u %d", nodeid, error);
		if (error == CS_OK) {
			printf(" node=%u state=%u votes=%u expected=%u highest=%u total=%u quorum=%u flags=%u qdevice=%u/'%s'",
				info.node_id, info.node_state, info.node_votes, info.node_expected_votes, info.highest_expected,
				info.total_votes, info.quorum, info.flags, info.qdevice_votes, info.qdevice_name);
		}
		printf("\n");
	}
	printf("votequorum_getinfo 99 %d\n", votequorum_getinfo(handle, 99, &info));
	printf("votequorum_setexpected 1 %d\n", votequorum_setexpected(handle, 1));
	printf("votequorum_setvotes 99 %d\n", votequorum_setvotes(handle, 99, 1));
	printf("votequorum_trackstop untracked %d\n", votequorum_trackstop(handle));
	printf("votequorum_trackstart %d\n", votequorum_trackstart(handle, 42, CS_TRACK_CURRENT));
	votequorum_dispatch(handle, CS_DISPATCH_ONE);
	votequorum_dispatch(handle, CS_DISPATCH_ONE);
	printf("votequorum_qdevice_unregister %d\n", votequorum_qdevice_unregister(handle, "none"));
	printf("votequorum_qdevice_update %d\n", votequorum_qdevice_update(handle, "none", "other"));
	votequorum_ring_id_t ring = { 0, 0 };
	printf("votequorum_qdevice_poll %d\n", votequorum_qdevice_poll(handle, "none", 1, ring));
	printf("votequorum_qdevice_master_wins %d\n", votequorum_qdevice_master_wins(handle, "none", 1));
	votequorum_finalize(handle);
}

static void cfg_part(int count, char **nodes)
{
	corosync_cfg_handle_t handle;
	unsigned int local;
	printf("corosync_cfg_initialize %d\n", corosync_cfg_initialize(&handle, NULL));
	cs_error_t error = corosync_cfg_local_get(handle, &local);
	printf("local corosync_cfg_local_get %d node=%u\n", error, local);
	for (int i = 0; i < count; i++) {
		unsigned int nodeid = atoi(nodes[i]);
		corosync_cfg_node_address_t addrs[8];
		int found = 0;
		error = corosync_cfg_get_node_addrs(handle, nodeid, 8, &found, addrs);
		printf("corosync_cfg_get_node_addrs %u %d", nodeid, error);
		for (int j = 0; error == CS_OK && j < found; j++) {
			char text[INET6_ADDRSTRLEN];
			struct sockaddr_storage *ss = (struct sockaddr_storage *)addrs[j].address;
			void *in = (ss->ss_family == AF_INET6) ? (void *)&((struct sockaddr_in6 *)ss)->sin6_addr
				: (void *)&((struct sockaddr_in *)ss)->sin_addr;
			printf(" %s", inet_ntop(ss->ss_family, in, text, sizeof(text)));
		}
		printf("\n");
		struct corosync_cfg_node_status_v1 status;
		memset(&status, 0, sizeof(status));
		error = corosync_cfg_node_status_get(handle, nodeid, CFG_NODE_STATUS_V1, &status);
		printf("corosync_cfg_node_status_get %u %d", nodeid, error);
		if (error == CS_OK) {
			printf(" node=%u reachable=%u remote=%u external=%u onwire=%u/%u/%u", status.nodeid, status.reachable,
				status.remote, status.external, status.onwire_min, status.onwire_max, status.onwire_ver);
			for (int link = 0; link < CFG_MAX_LINKS; link++) {
				struct corosync_knet_link_status_v1 *s = &status.link_status[link];
				if (s->enabled || s->connected || s->mtu) {
					printf(" link%d=%u/%u/%u/%u/%s/%s", link, s->enabled, s->connected, s->dynconnected, s->mtu,
						s->src_ipaddr, s->dst_ipaddr);
				}
			}
		}
		printf("\n");
	}
	corosync_cfg_node_address_t addrs[8];
	int found = 0;
	printf("corosync_cfg_get_node_addrs 99 %d\n", corosync_cfg_get_node_addrs(handle, 99, 8, &found, addrs));
	char **names;
	char **statuses;
	unsigned int interfaces;
	error = corosync_cfg_ring_status_get(handle, &names, &statuses, &interfaces);
	printf("corosync_cfg_ring_status_get %d interfaces=%u\n", error, interfaces);
	for (unsigned int i = 0; error == CS_OK && i < interfaces; i++) {
		printf("local ring %s: %s\n", names[i], statuses[i]);
		free(names[i]);
		free(statuses[i]);
	}
	printf("corosync_cfg_kill_node 99 %d\n", corosync_cfg_kill_node(handle, 99, "nobody"));
	printf("corosync_cfg_replyto_shutdown %d\n", corosync_cfg_replyto_shutdown(handle, COROSYNC_CFG_SHUTDOWN_FLAG_YES));
	printf("corosync_cfg_trackstart %d\n", corosync_cfg_trackstart(handle, 0));
	printf("corosync_cfg_trackstop %d\n", corosync_cfg_trackstop(handle));
	corosync_cfg_finalize(handle);
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	quorum_part();
	votequorum_part(argc - 1, argv + 1);
	cfg_part(argc - 1, argv + 1);
	return 0;
}
