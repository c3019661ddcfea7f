/*
 * The floor under a Totem hop on this host: N processes on 127.0.0.1 .. 127.0.0.N pass a 57-byte
 * datagram (an ORF token's size) round a ring, each waiting in epoll_wait (or a blocking recv) and
 * sending it on at once; process 1 times the rotations. No protocol, no messages, no allocation.
 *
 *   gcc -O2 -Wall -o /tmp/ring-floor corosync-benchmarks/src/main/c/ring_floor.c
 *   /tmp/ring-floor [PROCESSES=3] [ROTATIONS=20000] [EPOLL=1]
 *
 * Uses UDP port 6405 on 127.0.0.1 .. 127.0.0.N (Linux routes all of 127/8 to loopback). A lost
 * datagram would stall the ring for good, so the parent's alarm ends the run after
 * WATCHDOG_SECONDS (alarms are not inherited; the children die with the parent).
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TOKEN_BYTES 57
#define PORT 6405
#define WATCHDOG_SECONDS 120

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
	perror(what);
	exit(1);
}

static struct sockaddr_in loopback(int host) {
	struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(PORT) };
	address.sin_addr.s_addr = htonl(0x7f000000u | (unsigned) host);
	return address;
}

/* One member: bind 127.0.0.id, pass the token to the next member ROTATIONS times. */
static void member(int id, int processes, int rotations, int use_epoll) {
	int sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0) die("socket");
	struct sockaddr_in me = loopback(id), next = loopback(id % processes + 1);
	if (bind(sock, (struct sockaddr *) &me, sizeof me)) die("bind");
	int ep = epoll_create1(0);
	struct epoll_event interest = { .events = EPOLLIN };
	if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, sock, &interest)) die("epoll");

	char buf[1500] = { 0 };
	if (id == 1) usleep(300000); /* let the others bind first */
	double start = now();
	if (id == 1 && sendto(sock, buf, TOKEN_BYTES, 0, (struct sockaddr *) &next, sizeof next) < 0)
		die("sendto");
	for (int r = 0; r < rotations; r++) {
		struct epoll_event ready;
		if (use_epoll && epoll_wait(ep, &ready, 1, -1) < 0) die("epoll_wait");
		if (recv(sock, buf, sizeof buf, 0) < 0) die("recv");
		int last = id == 1 && r == rotations - 1;
		if (!last && sendto(sock, buf, TOKEN_BYTES, 0, (struct sockaddr *) &next, sizeof next) < 0)
			die("sendto");
	}
	if (id == 1) {
		double elapsed = now() - start;
		printf("%d processes, %d rotations: %.1f us per rotation, %.1f us per hop (%s)\n", processes,
				rotations, elapsed / rotations * 1e6, elapsed / rotations / processes * 1e6,
				use_epoll ? "epoll_wait" : "blocking recv");
		fflush(stdout); /* members exit with _exit, which skips stdio */
	}
}

int main(int argc, char **argv) {
	int processes = argc > 1 ? atoi(argv[1]) : 3;
	int rotations = argc > 2 ? atoi(argv[2]) : 20000;
	int use_epoll = argc > 3 ? atoi(argv[3]) : 1;
	if (processes < 1 || processes > 254 || rotations < 1) {
		fprintf(stderr, "usage: %s [PROCESSES 1..254] [ROTATIONS >= 1] [EPOLL 0|1]\n", argv[0]);
		return 2;
	}
	alarm(WATCHDOG_SECONDS);
	pid_t parent = getpid();
	/* The parent plays the last member; members 1 .. N-1 are its children. */
	for (int id = 1; id < processes; id++) {
		pid_t child = fork();
		if (child < 0) die("fork");
		if (child == 0) {
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent) _exit(1);
			member(id, processes, rotations, use_epoll);
			_exit(0);
		}
	}
	member(processes, processes, rotations, use_epoll);
	int status, failed = 0;
	while (wait(&status) > 0)
		failed |= !WIFEXITED(status) || WEXITSTATUS(status) != 0;
	return failed;
}
