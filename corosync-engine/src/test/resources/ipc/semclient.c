/*
 * A process-shared semaphore in a mapped file, used from C as libqb's clients use the semaphores of
 * their rings.
 *
 *   semclient FILE OFFSET wait      sem_wait, then print "woken" and the count left
 *   semclient FILE OFFSET post N    sem_post N times, then print "posted N"
 */
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct stat st;
	int fd, value = -1;
	char *base;
	sem_t *sem;

	if (argc < 4) {
		fprintf(stderr, "usage: semclient FILE OFFSET wait|post N\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0 || fstat(fd, &st) != 0) {
		perror("open");
		return 2;
	}
	base = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	sem = (sem_t *)(base + strtol(argv[2], NULL, 10));
	if (strcmp(argv[3], "wait") == 0) {
		if (sem_wait(sem) != 0) {
			perror("sem_wait");
			return 1;
		}
		sem_getvalue(sem, &value);
		printf("woken %d\n", value);
	} else {
		long n = strtol(argv[4], NULL, 10);
		for (long i = 0; i < n; i++) {
			if (sem_post(sem) != 0) {
				perror("sem_post");
				return 1;
			}
		}
		printf("posted %ld\n", n);
	}
	fflush(stdout);
	return 0;
}
