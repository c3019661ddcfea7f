/*
 * The other end of a ring buffer made by the server, through libqb's own ring buffer code, as
 * libqb's IPC clients use it.
 *
 *   ringclient NAME SIZE read N     reads N chunks (waiting up to 10 s for each) and prints
 *                                   "chunk <length> <sum>" for each, the sum of its bytes
 *   ringclient NAME SIZE write N    writes N chunks, chunk k being k % 997 + 1 bytes of (k + i) & 0xff,
 *                                   retrying while the ring is full; prints "wrote N"
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <qb/qbrb.h>

int main(int argc, char **argv)
{
	qb_ringbuffer_t *rb;
	size_t size;
	long n;
	char *buffer;

	if (argc < 5) {
		fprintf(stderr, "usage: ringclient NAME SIZE read|write N\n");
		return 2;
	}
	size = strtoul(argv[2], NULL, 10);
	n = strtol(argv[4], NULL, 10);
	rb = qb_rb_open(argv[1], size, QB_RB_FLAG_SHARED_PROCESS, sizeof(int32_t));
	if (rb == NULL) {
		printf("open failed errno=%d\n", errno);
		return 2;
	}
	buffer = malloc(size);
	if (strcmp(argv[3], "read") == 0) {
		for (long k = 0; k < n; k++) {
			ssize_t length = qb_rb_chunk_read(rb, buffer, size, 10000);
			unsigned long sum = 0;
			if (length < 0) {
				printf("read failed %zd\n", length);
				return 1;
			}
			for (ssize_t i = 0; i < length; i++) {
				sum += (unsigned char)buffer[i];
			}
			printf("chunk %zd %lu\n", length, sum);
		}
	} else {
		for (long k = 0; k < n; k++) {
			size_t length = k % 997 + 1;
			ssize_t written;
			for (size_t i = 0; i < length; i++) {
				buffer[i] = (char)((k + i) & 0xff);
			}
			while ((written = qb_rb_chunk_write(rb, buffer, length)) == -EAGAIN) {
				usleep(100);
			}
			if (written != (ssize_t)length) {
				printf("write failed %zd\n", written);
				return 1;
			}
		}
		printf("wrote %ld\n", n);
	}
	fflush(stdout);
	qb_rb_close(rb);
	return 0;
}
