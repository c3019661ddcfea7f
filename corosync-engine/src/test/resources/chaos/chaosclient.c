/*
 * chaosclient.c - the chaos suite's CPG client for a Corosync daemon (libcpg).
 *
 * Build:
 *   gcc -O2 -Wall -o chaosclient chaosclient.c $(pkg-config --cflags --libs libcpg)
 *
 * Usage:
 *   chaosclient -o LOG [-g group] [-r messages_per_second] [-m max_size] [-z seed]
 *
 * Joins the group (retrying CS_ERR_TRY_AGAIN, as Corosync's own tools do), multicasts messages
 * numbered 1, 2, ... (a number is used only once the daemon accepted the message; TRY_AGAIN retries
 * the same message), of mixed sizes up to max_size, at the given rate, and writes every delivery and
 * configuration change to LOG. SIGUSR1 stops sending (line Q), SIGTERM ends the client (line E,
 * then cpg_finalize without a leave). The log format is the one ChaosClient (Java) writes; see
 * ChaosLog.java:
 *
 *   I corosync <nodeid> <pid> <t>              once, at the start
 *   C <t> <members> <left> <joined>           a configuration change: n/p,... and n/p/reason,... or -
 *   T <t> <ring> <members>                     the ring after synchronization (totem confchg)
 *   D <nodeid> <pid> <seq> <size>             a delivered message (payload checked)
 *   B <nodeid> <pid> <seq> <size> <t>         a delivered message whose bytes are wrong
 *   P <t> <sent> <delivered> <tryagain>       progress, every second
 *   Q <t> <sent>                               sending stopped (SIGUSR1)
 *   E <t> <sent>                               the client ends alive (SIGTERM)
 *   X <t> <reason>                             the daemon connection was lost
 *
 * Payload: u32 nodeid, u32 pid, u64 seq (big-endian), then byte i = (seq * 131 + i * 7 + nodeid) & 0xff.
 */
#define _GNU_SOURCE
#include <corosync/cpg.h>
#include <corosync/corotypes.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static cpg_handle_t handle;
static int cpg_fd = -1;
static FILE *logf;
static volatile sig_atomic_t stop_sending_flag, end_flag;
static uint64_t delivered, sent, tryagain;
static double last_flush;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static unsigned long long now_ms_int(void)
{
	return (unsigned long long)now_ms();
}

static void flush_log(void)
{
	fflush(logf);
	last_flush = now_ms();
}

static void put_be(unsigned char *p, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (unsigned char)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get_be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

static void make_payload(unsigned char *buf, size_t len, uint32_t nodeid, uint32_t pid, uint64_t seq)
{
	put_be(buf, nodeid, 4);
	put_be(buf + 4, pid, 4);
	put_be(buf + 8, seq, 8);
	for (size_t i = 16; i < len; i++)
		buf[i] = (unsigned char)((seq * 131u + i * 7u + nodeid) & 0xff);
}

static void deliver_cb(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid, uint32_t pid,
		       void *msg, size_t len)
{
	(void)h;
	(void)group;
	const unsigned char *p = msg;
	uint64_t seq = 0;
	int ok = len >= 16;
	if (ok) {
		seq = get_be(p + 8, 8);
		ok = get_be(p, 4) == nodeid && get_be(p + 4, 4) == pid;
		for (size_t i = 16; ok && i < len; i++)
			ok = p[i] == (unsigned char)((seq * 131u + i * 7u + nodeid) & 0xff);
	}
	delivered++;
	if (ok)
		fprintf(logf, "D %u %u %" PRIu64 " %zu\n", nodeid, pid, seq, len);
	else
		fprintf(logf, "B %u %u %" PRIu64 " %zu %llu\n", nodeid, pid, seq, len, now_ms_int());
}

static void put_list(const struct cpg_address *a, size_t n, int with_reason)
{
	if (n == 0) {
		fputs(" -", logf);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		fputc(i ? ',' : ' ', logf);
		if (with_reason)
			fprintf(logf, "%u/%u/%u", a[i].nodeid, a[i].pid, a[i].reason);
		else
			fprintf(logf, "%u/%u", a[i].nodeid, a[i].pid);
	}
}

static void confchg_cb(cpg_handle_t h, const struct cpg_name *group, const struct cpg_address *members,
		       size_t n_members, const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
	(void)h;
	(void)group;
	fprintf(logf, "C %llu", now_ms_int());
	put_list(members, n_members, 0);
	put_list(left, n_left, 1);
	put_list(joined, n_joined, 1);
	fputc('\n', logf);
	flush_log();
}

static void totem_cb(cpg_handle_t h, struct cpg_ring_id ring_id, uint32_t n, const uint32_t *members)
{
	(void)h;
	fprintf(logf, "T %llu %x.%" PRIx64, now_ms_int(), ring_id.nodeid, ring_id.seq);
	for (uint32_t i = 0; i < n; i++)
		fprintf(logf, "%c%u", i ? ',' : ' ', members[i]);
	if (n == 0)
		fputs(" -", logf);
	fputc('\n', logf);
}

static cpg_model_v1_data_t model = {
	.model = CPG_MODEL_V1,
	.cpg_deliver_fn = deliver_cb,
	.cpg_confchg_fn = confchg_cb,
	.cpg_totem_confchg_fn = totem_cb,
	.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
};

static void lost(const char *why)
{
	fprintf(logf, "X %llu %s\n", now_ms_int(), why);
	flush_log();
	exit(3);
}

static void end_alive(void)
{
	fprintf(logf, "E %llu %" PRIu64 "\n", now_ms_int(), sent);
	flush_log();
	cpg_finalize(handle);
	exit(0);
}

/* waits up to timeout_ms for the daemon and dispatches what it sent */
static void pump(int timeout_ms)
{
	struct pollfd p = { .fd = cpg_fd, .events = POLLIN };
	int r = poll(&p, 1, timeout_ms);
	if (r < 0 && errno != EINTR)
		lost("poll-error");
	if (r > 0 && (p.revents & (POLLERR | POLLHUP | POLLNVAL)) && !(p.revents & POLLIN))
		lost("daemon-connection-closed");
	if (r > 0) {
		cs_error_t e = cpg_dispatch(handle, CS_DISPATCH_ALL);
		if (e != CS_OK && e != CS_ERR_TRY_AGAIN) {
			char w[64];
			snprintf(w, sizeof(w), "cpg_dispatch-error-%d", e);
			lost(w);
		}
	}
	if (now_ms() - last_flush >= 100)
		flush_log();
}

static void on_usr1(int s)
{
	(void)s;
	stop_sending_flag = 1;
}

static void on_term(int s)
{
	(void)s;
	end_flag = 1;
}

/* a size up to max: mostly small, some of a few frames, some of many (fragmented over Totem frames) */
static size_t next_size(unsigned int *rs, size_t max)
{
	unsigned int r = (unsigned int)rand_r(rs) % 100;
	size_t lo, hi;
	if (r < 70) {
		lo = 16;
		hi = 256;
	} else if (r < 90) {
		lo = 257;
		hi = 4096;
	} else {
		lo = 4097;
		hi = max;
	}
	if (hi > max)
		hi = max;
	if (lo > hi)
		lo = hi;
	return lo + (size_t)rand_r(rs) % (hi - lo + 1);
}

int main(int argc, char **argv)
{
	const char *group = "chaos", *log_path = NULL;
	double rate = 200;
	size_t max_size = 33000;
	unsigned int seed = 1;
	int c;
	while ((c = getopt(argc, argv, "g:o:r:m:z:")) != -1) {
		switch (c) {
		case 'g': group = optarg; break;
		case 'o': log_path = optarg; break;
		case 'r': rate = strtod(optarg, NULL); break;
		case 'm': max_size = strtoul(optarg, NULL, 10); break;
		case 'z': seed = (unsigned int)strtoul(optarg, NULL, 10); break;
		default:
			fprintf(stderr, "usage: chaosclient -o LOG [-g group] [-r rate] [-m max_size] [-z seed]\n");
			return 1;
		}
	}
	if (log_path == NULL || max_size < 16) {
		fprintf(stderr, "usage: chaosclient -o LOG [-g group] [-r rate] [-m max_size >= 16] [-z seed]\n");
		return 1;
	}
	logf = fopen(log_path, "a");
	if (logf == NULL) {
		perror(log_path);
		return 1;
	}
	setvbuf(logf, NULL, _IOFBF, 1 << 20);
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the daemon may still be starting: wait up to a minute for its IPC */
	cs_error_t e = CS_ERR_LIBRARY;
	for (int i = 0; i < 600 && !end_flag; i++) {
		e = cpg_model_initialize(&handle, CPG_MODEL_V1, (cpg_model_data_t *)&model, NULL);
		if (e == CS_OK)
			break;
		usleep(100000);
	}
	if (e != CS_OK) {
		fprintf(logf, "X %llu cpg_model_initialize-%d\n", now_ms_int(), e);
		fclose(logf);
		return 2;
	}
	unsigned int nodeid = 0;
	for (int i = 0; i < 600; i++) {
		e = cpg_local_get(handle, &nodeid);
		if (e != CS_ERR_TRY_AGAIN)
			break;
		usleep(100000);
	}
	cpg_fd_get(handle, &cpg_fd);
	uint32_t pid = (uint32_t)getpid();
	fprintf(logf, "I corosync %u %u %llu\n", nodeid, pid, now_ms_int());
	flush_log();
	struct cpg_name g;
	memset(&g, 0, sizeof(g));
	g.length = (uint32_t)strlen(group);
	memcpy(g.value, group, g.length);
	while (1) {
		if (end_flag)
			end_alive();
		e = cpg_join(handle, &g);
		if (e != CS_ERR_TRY_AGAIN)
			break;
		usleep(100000);
	}
	if (e != CS_OK) {
		char w[64];
		snprintf(w, sizeof(w), "cpg_join-error-%d", e);
		lost(w);
	}

	unsigned int rs = seed ^ (pid * 2654435761u);
	unsigned char *buf = malloc(max_size);
	double interval = rate > 0 ? 1000.0 / rate : 1e9;
	double next = now_ms(), last_progress = now_ms();
	size_t len = next_size(&rs, max_size);
	int quiet = 0;
	while (!end_flag) {
		double t = now_ms();
		if (t - last_progress >= 1000) {
			fprintf(logf, "P %llu %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", now_ms_int(), sent, delivered, tryagain);
			last_progress = t;
		}
		if (stop_sending_flag && !quiet) {
			fprintf(logf, "Q %llu %" PRIu64 "\n", now_ms_int(), sent);
			flush_log();
			quiet = 1;
		}
		if (quiet || rate <= 0 || t < next) {
			double wait = quiet ? 100 : next - t;
			pump(wait < 1 ? 1 : (wait > 100 ? 100 : (int)wait));
			continue;
		}
		make_payload(buf, len, nodeid, pid, sent + 1);
		struct iovec iov = { .iov_base = buf, .iov_len = len };
		e = cpg_mcast_joined(handle, CPG_TYPE_AGREED, &iov, 1);
		if (e == CS_OK) {
			sent++;
			len = next_size(&rs, max_size);
			next += interval;
			/* after a long stall, do not send the missed messages in one burst */
			if (next < t - 1000)
				next = t - 1000;
			pump(0);
		} else if (e == CS_ERR_TRY_AGAIN) {
			tryagain++;
			pump(2);
		} else {
			char w[64];
			snprintf(w, sizeof(w), "cpg_mcast_joined-error-%d", e);
			lost(w);
		}
	}
	end_alive();
	return 0;
}
