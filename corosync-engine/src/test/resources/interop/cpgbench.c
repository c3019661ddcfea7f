/*
 * cpgbench.c - the C side of corosync4j's cpgbench (io.corosync4j.engine.runtime.CpgBench):
 * the same group ("cpg_bm"), the same 32-byte message header, the same modes, so one
 * measurement method covers Corosync daemons, corosync4j nodes and rings mixing both.
 *
 * Build:  gcc -O2 -Wall -o cpgbench cpgbench.c $(pkg-config --cflags --libs libcpg)
 * Usage:  cpgbench sender|receiver|latency|sender+latency|all [-m members] [-z size,size,...] [-s seconds] [-n samples] [-w warmup-seconds]
 *
 * Header (little-endian): u32 magic "CBM1", u32 kind (1 DATA, 2 END, 3 DONE, 4 PING), u32 size,
 * u32 pad, u64 seq, u64 count (END: messages sent). Messages are padded to their size.
 *
 * Output: the sender prints one markdown row per size (as seen by itself: messages and the time
 * from its first own delivery to its END); receivers print one line per size; latency prints
 * p50/p90/p99 of self-delivery for one outstanding 64-byte message. sender+latency measures the
 * latency after its sizes, before DONE, while every receiver is still joined. all: every member sends its
 * sizes and prints receiver lines counting what all members sent; a size ends at the last member's END.
 */
#define _GNU_SOURCE
#include <corosync/cpg.h>
#include <corosync/corotypes.h>
#include <inttypes.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAGIC 0x314D4243u
#define DATA 1
#define END 2
#define DONE 3
#define PING 4
#define HEADER 32

static cpg_handle_t handle;
static int cpg_fd;
static size_t members_now;
static uint64_t received, first_ns, ping_seen = UINT64_MAX;
static int done_seen, end_seen;
static double end_seconds;
static uint64_t end_count, end_sent;
static uint32_t end_size;
/* members whose END closes a size (1, or every member in mode all), ENDs and DONEs seen so far */
static int senders = 1, ends, dones;
static uint64_t sent_by_ends;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void deliver(cpg_handle_t h, const struct cpg_name *g, uint32_t nodeid, uint32_t pid, void *msg, size_t len)
{
	uint32_t magic, kind, size;
	uint64_t seq;
	if (len < HEADER)
		return;
	memcpy(&magic, msg, 4);
	memcpy(&kind, (char *)msg + 4, 4);
	memcpy(&size, (char *)msg + 8, 4);
	memcpy(&seq, (char *)msg + 16, 8);
	if (magic != MAGIC)
		return;
	switch (kind) {
	case DATA:
		if (received++ == 0)
			first_ns = now_ns();
		break;
	case END:
		memcpy(&seq, (char *)msg + 24, 8);
		sent_by_ends += seq;
		if (++ends < senders)
			break;
		end_seconds = (now_ns() - first_ns) / 1e9;
		end_count = received;
		end_sent = sent_by_ends;
		end_size = size;
		end_seen = 1;
		received = 0;
		ends = 0;
		sent_by_ends = 0;
		break;
	case DONE:
		done_seen = ++dones >= senders;
		break;
	case PING:
		ping_seen = seq;
		break;
	}
}

static void confchg(cpg_handle_t h, const struct cpg_name *g, const struct cpg_address *m, size_t mn,
		const struct cpg_address *l, size_t ln, const struct cpg_address *j, size_t jn)
{
	members_now = mn;
}

static void dispatch(int timeout_ms)
{
	struct pollfd p = { .fd = cpg_fd, .events = POLLIN };
	if (poll(&p, 1, timeout_ms) > 0)
		cpg_dispatch(handle, CS_DISPATCH_ALL);
}

static void mcast(void *buf, size_t len)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	cs_error_t e;
	while ((e = cpg_mcast_joined(handle, CPG_TYPE_AGREED, &iov, 1)) == CS_ERR_TRY_AGAIN)
		dispatch(1);
	if (e != CS_OK) {
		fprintf(stderr, "cpg_mcast_joined: %d\n", e);
		exit(1);
	}
}

static void header(char *buf, uint32_t kind, uint32_t size, uint64_t seq, uint64_t count)
{
	uint32_t magic = MAGIC;
	memset(buf, 0, HEADER);
	memcpy(buf, &magic, 4);
	memcpy(buf + 4, &kind, 4);
	memcpy(buf + 8, &size, 4);
	memcpy(buf + 16, &seq, 8);
	memcpy(buf + 24, &count, 8);
}

/* sends ping seq and returns the nanoseconds until it came back */
static uint64_t ping_once(char *ping, uint64_t seq)
{
	header(ping, PING, 64, seq, 0);
	uint64_t start = now_ns();
	mcast(ping, 64);
	while (ping_seen != seq)
		dispatch(1000);
	return now_ns() - start;
}

/* a receiver's line for the size that just ended, and LOST when fewer arrived than were sent */
static void report_end(void)
{
	printf("receiver: size %u, %" PRIu64 " messages in %.3f s: %.0f msgs/s, %.1f MB/s\n", end_size, end_count,
			end_seconds, end_count / end_seconds, end_count / end_seconds * end_size / 1e6);
	if (end_count != end_sent)
		printf("LOST: delivered %" PRIu64 " of %" PRIu64 "\n", end_count, end_sent);
	fflush(stdout);
	end_seen = 0;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	cpg_callbacks_t callbacks = { .cpg_deliver_fn = deliver, .cpg_confchg_fn = confchg };
	struct cpg_name group = { .length = 6 };
	const char *mode = argc > 1 ? argv[1] : "receiver";
	char sizes_text[256] = "64,1024,16384,65536,262144,1048576";
	int members = 3, seconds = 5, samples = 20000, warmup = 5, opt;
	memcpy(group.value, "cpg_bm", 6);
	optind = 2;
	while ((opt = getopt(argc, argv, "m:z:s:n:w:")) != -1) {
		switch (opt) {
		case 'm': members = atoi(optarg); break;
		case 'z': snprintf(sizes_text, sizeof(sizes_text), "%s", optarg); break;
		case 's': seconds = atoi(optarg); break;
		case 'n': samples = atoi(optarg); break;
		case 'w': warmup = atoi(optarg); break;
		default: return 2;
		}
	}
	/* Corosync answers TRY_AGAIN while it synchronizes a new ring: retry as its own tools do */
	cs_error_t e = CS_ERR_TRY_AGAIN;
	for (int tries = 0; tries < 600 && e == CS_ERR_TRY_AGAIN; tries++) {
		if (tries > 0)
			usleep(100000);
		e = cpg_initialize(&handle, &callbacks);
	}
	if (e == CS_OK)
		e = cpg_fd_get(handle, &cpg_fd);
	if (e == CS_OK) {
		e = CS_ERR_TRY_AGAIN;
		for (int tries = 0; tries < 600 && e == CS_ERR_TRY_AGAIN; tries++) {
			if (tries > 0)
				usleep(100000);
			e = cpg_join(handle, &group);
		}
	}
	if (e != CS_OK) {
		fprintf(stderr, "cannot join cpg_bm: %d\n", e);
		return 1;
	}
	if (strcmp(mode, "receiver") == 0) {
		while (!done_seen) {
			dispatch(100);
			if (end_seen)
				report_end();
		}
		return 0;
	}
	while (members_now < (size_t)members)
		dispatch(50);
	if (strcmp(mode, "all") == 0) {
		senders = members;
		char *text = strdup(sizes_text);
		for (char *tok = strtok(text, ","); tok; tok = strtok(NULL, ",")) {
			uint32_t size = (uint32_t)atoi(tok);
			char *buf = calloc(1, size < HEADER ? HEADER : size);
			uint64_t sent = 0, deadline = now_ns() + (uint64_t)seconds * 1000000000ull;
			while (now_ns() < deadline) {
				header(buf, DATA, size, sent, 0);
				mcast(buf, size);
				sent++;
				dispatch(0);
			}
			header(buf, END, size, 0, sent);
			mcast(buf, HEADER);
			/* every member's END of this size, in the total order, before anyone's next size */
			while (!end_seen)
				dispatch(100);
			report_end();
			free(buf);
		}
		char done[HEADER];
		header(done, DONE, 0, 0, 0);
		mcast(done, HEADER);
		while (!done_seen)
			dispatch(100);
		cpg_leave(handle, &group);
		cpg_finalize(handle);
		return 0;
	}
	int sending = strcmp(mode, "sender") == 0 || strcmp(mode, "sender+latency") == 0;
	if (sending) {
		char *text = strdup(sizes_text);
		printf("| size | messages | msgs/s | MB/s | sender msgs/s |\n|---:|---:|---:|---:|---:|\n");
		for (char *tok = strtok(text, ","); tok; tok = strtok(NULL, ",")) {
			uint32_t size = (uint32_t)atoi(tok);
			char *buf = calloc(1, size < HEADER ? HEADER : size);
			uint64_t sent = 0, start = now_ns(), deadline = start + (uint64_t)seconds * 1000000000ull;
			while (now_ns() < deadline) {
				header(buf, DATA, size, sent, 0);
				mcast(buf, size);
				sent++;
				dispatch(0);
			}
			double send_seconds = (now_ns() - start) / 1e9;
			header(buf, END, size, 0, sent);
			mcast(buf, HEADER);
			while (!end_seen)
				dispatch(100);
			end_seen = 0;
			printf("| %u | %" PRIu64 " | %.0f | %.1f | %.0f |\n", size, end_count, end_count / end_seconds,
					end_count / end_seconds * size / 1e6, sent / send_seconds);
			fflush(stdout);
			free(buf);
		}
	}
	if (!sending || strcmp(mode, "sender+latency") == 0) {
		char ping[64] = { 0 };
		uint64_t *micros = calloc((size_t)samples, sizeof(uint64_t));
		uint64_t warm_end = now_ns() + (uint64_t)warmup * 1000000000ull;
		uint64_t seq = 0;
		/* the same pings for the warm-up seconds first, as the JVM peers get them */
		while (now_ns() < warm_end)
			ping_once(ping, seq++);
		for (int i = 0; i < samples; i++)
			micros[i] = ping_once(ping, seq++) / 1000;
		qsort(micros, (size_t)samples, sizeof(uint64_t), cmp);
		printf("latency 64 B (self-delivery, %d samples): p50 %" PRIu64 " us, p90 %" PRIu64 " us, p99 %" PRIu64 " us\n",
				samples, micros[samples / 2], micros[samples * 9 / 10], micros[samples * 99 / 100]);
		fflush(stdout);
	}
	if (sending) {
		char done[HEADER];
		header(done, DONE, 0, 0, 0);
		mcast(done, HEADER);
		dispatch(200);
	}
	cpg_leave(handle, &group);
	cpg_finalize(handle);
	return 0;
}
