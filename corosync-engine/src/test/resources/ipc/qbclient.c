/*
 * qbclient.c - a libqb IPC client for corosync4j's IPC server tests (IpcServerTests), talking to the
 * tests' own service through libqb's client API alone, as every Corosync library does.
 *
 * Build:  gcc -O2 -Wall -o qbclient qbclient.c $(pkg-config --cflags --libs libqb)
 * Usage:  qbclient <service> echo <size>...     one request per size (id 1, body filled with its size's
 *                                               low byte); prints "echo <size> error=<e> size=<n> ok|BAD"
 *         qbclient <service> events <count>     asks for <count> events (request id 2), reads them all
 *                                               and the response; prints "events <count> in order|BAD"
 *         qbclient <service> stall <count>      asks for <count> events and never reads them; prints
 *                                               "stalled" and sleeps until killed
 *         qbclient <service> hang               sends one request (id 3) the service never answers,
 *                                               prints "waiting" and waits for it until killed
 *         qbclient <service> garbage            sends a 4-byte datagram, then a request whose size
 *                                               field exceeds the datagram; prints what comes back
 *         qbclient <service> empty              sends a datagram of no bytes; prints what comes back
 *         qbclient <service> shrink <count>     on the shared-memory transport: truncates the server's
 *                                               response and event rings to nothing, then asks for
 *                                               <count> events and an answer it never reads; prints
 *                                               "shrunk <files>" and sleeps until killed
 *         qbclient <service> raw                connects a plain stream socket to the service and sends
 *                                               24 bytes that are no connection request; prints
 *                                               "closed" when the server closes it, "answered" otherwise
 * Every other mode first prints "connected" or "connect failed errno=<e>" (and exits 2).
 */
#include <qb/qbipcc.h>
#include <qb/qbipc_common.h>
#include <errno.h>
#include <glob.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX (1024 * 1024)

struct request {
	struct qb_ipc_request_header header;
	uint32_t count;
} __attribute__ ((aligned(8)));

static char buffer[MAX];

static int echo(qb_ipcc_connection_t *c, size_t size)
{
	static char request[MAX];
	struct qb_ipc_request_header *header = (void *) request;
	struct qb_ipc_response_header *response = (void *) buffer;
	size_t i;
	ssize_t got;

	memset(request, (int) (size & 0xff), size);
	header->id = 1;
	header->size = (int32_t) size;
	got = qb_ipcc_send(c, request, size);
	if (got < 0) {
		printf("echo %zu send errno=%zd\n", size, -got);
		return 1;
	}
	got = qb_ipcc_recv(c, buffer, sizeof(buffer), 10000);
	if (got < 0) {
		printf("echo %zu recv errno=%zd\n", size, -got);
		return 1;
	}
	int ok = response->id == 1 && response->size == (int32_t) (size - sizeof(*header) + sizeof(*response));
	for (i = sizeof(*response); ok && i < (size_t) response->size; i++) {
		ok = buffer[i] == (char) (size & 0xff);
	}
	printf("echo %zu error=%d size=%d %s\n", size, response->error, response->size, ok ? "ok" : "BAD");
	return !ok;
}

static void ask_events(qb_ipcc_connection_t *c, uint32_t count)
{
	struct request request = { .header = { .id = 2, .size = sizeof(request) }, .count = count };
	ssize_t got = qb_ipcc_send(c, &request, sizeof(request));
	if (got < 0) {
		printf("events send errno=%zd\n", -got);
		exit(1);
	}
}

static int events(qb_ipcc_connection_t *c, uint32_t count)
{
	uint32_t i;
	ask_events(c, count);
	for (i = 0; i < count; i++) {
		ssize_t got = qb_ipcc_event_recv(c, buffer, sizeof(buffer), 10000);
		struct qb_ipc_response_header *event = (void *) buffer;
		uint32_t seq;
		if (got < (ssize_t) (sizeof(*event) + 4)) {
			printf("events %u: event %u errno=%zd\n", count, i, -got);
			return 1;
		}
		memcpy(&seq, buffer + sizeof(*event), 4);
		if (event->id != 2 || seq != i) {
			printf("events %u: event %u has id %d seq %u BAD\n", count, i, event->id, seq);
			return 1;
		}
	}
	ssize_t got = qb_ipcc_recv(c, buffer, sizeof(buffer), 10000);
	printf("events %u %s\n", count, got == sizeof(struct qb_ipc_response_header) ? "in order" : "BAD");
	return got != sizeof(struct qb_ipc_response_header);
}

static int garbage(qb_ipcc_connection_t *c)
{
	struct qb_ipc_request_header lying = { .id = 1, .size = 4096 };
	struct qb_ipc_response_header *response = (void *) buffer;
	ssize_t got = qb_ipcc_send(c, &lying, sizeof(lying));
	if (got < 0) {
		printf("lying send errno=%zd\n", -got);
		return 1;
	}
	got = qb_ipcc_recv(c, buffer, sizeof(buffer), 10000);
	if (got < 0) {
		printf("lying recv errno=%zd\n", -got);
	} else {
		printf("lying answered id=%d size=%d error=%d\n", response->id, response->size, response->error);
	}
	got = qb_ipcc_send(c, "junk", 4);
	printf("short send %zd\n", got);
	got = qb_ipcc_recv(c, buffer, sizeof(buffer), 2000);
	printf("short answered %zd\n", got);
	return 0;
}

static int empty(qb_ipcc_connection_t *c)
{
	ssize_t got = qb_ipcc_send(c, "", 0);
	printf("empty send %zd\n", got);
	got = qb_ipcc_recv(c, buffer, sizeof(buffer), 2000);
	printf("empty answered %zd\n", got);
	return 0;
}

/* the data files of this process's response and event rings, wherever the server put them */
static int shrink(qb_ipcc_connection_t *c, uint32_t count)
{
	char pattern[256];
	glob_t found;
	size_t i;

	snprintf(pattern, sizeof(pattern), "/dev/shm/qb-*-%d-*/qb-{response,event}-*-data", (int) getpid());
	if (glob(pattern, GLOB_BRACE, NULL, &found) != 0) {
		printf("shrink: no rings\n");
		return 1;
	}
	for (i = 0; i < found.gl_pathc; i++) {
		if (truncate(found.gl_pathv[i], 0) != 0) {
			printf("shrink: truncate errno=%d\n", errno);
			return 1;
		}
	}
	printf("shrunk %zu\n", found.gl_pathc);
	globfree(&found);
	ask_events(c, count);
	pause();
	return 0;
}

/* libqb's abstract name: a NUL, the name, zeros to the end of sun_path, all of it the address */
static int raw(const char *name)
{
	struct sockaddr_un address;
	char junk[24];
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	memset(&address, 0, sizeof(address));
	address.sun_family = AF_UNIX;
	snprintf(address.sun_path + 1, sizeof(address.sun_path) - 1, "%s", name);
	if (connect(fd, (struct sockaddr *) &address, sizeof(address)) != 0) {
		printf("connect failed errno=%d\n", errno);
		return 2;
	}
	memset(junk, 'A', sizeof(junk));
	if (write(fd, junk, sizeof(junk)) != sizeof(junk)) {
		printf("write failed errno=%d\n", errno);
		return 1;
	}
	ssize_t got = read(fd, buffer, sizeof(buffer));
	printf("%s\n", got == 0 ? "closed" : "answered");
	close(fd);
	return got != 0;
}

int main(int argc, char **argv)
{
	qb_ipcc_connection_t *c;
	int i, failed = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: qbclient <service> echo|events|stall|hang|garbage|empty|shrink|raw [args]\n");
		return 64;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(argv[2], "raw") == 0) {
		return raw(argv[1]);
	}
	c = qb_ipcc_connect(argv[1], MAX);
	if (c == NULL) {
		printf("connect failed errno=%d\n", errno);
		return 2;
	}
	printf("connected\n");
	if (strcmp(argv[2], "echo") == 0) {
		for (i = 3; i < argc; i++) {
			failed |= echo(c, strtoul(argv[i], NULL, 10));
		}
	} else if (strcmp(argv[2], "events") == 0) {
		failed = events(c, strtoul(argv[3], NULL, 10));
	} else if (strcmp(argv[2], "stall") == 0) {
		ask_events(c, strtoul(argv[3], NULL, 10));
		printf("stalled\n");
		pause();
	} else if (strcmp(argv[2], "hang") == 0) {
		struct qb_ipc_request_header request = { .id = 3, .size = sizeof(request) };
		qb_ipcc_send(c, &request, sizeof(request));
		printf("waiting\n");
		qb_ipcc_recv(c, buffer, sizeof(buffer), -1);
		printf("waited\n");
	} else if (strcmp(argv[2], "garbage") == 0) {
		failed = garbage(c);
	} else if (strcmp(argv[2], "empty") == 0) {
		failed = empty(c);
	} else if (strcmp(argv[2], "shrink") == 0) {
		failed = shrink(c, strtoul(argv[3], NULL, 10));
	}
	qb_ipcc_disconnect(c);
	return failed;
}
