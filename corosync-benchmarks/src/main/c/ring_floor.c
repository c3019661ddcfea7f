/*
 * The floor under a Totem hop on this host: N processes on 127.0.0.1 .. 127.0.0.N pass a 57-byte
 * datagram (an ORF token's size) round a ring, each waiting in epoll_wait (or a blocking recv) and
 * sending it on at once; process 1 times the rotations. No protocol, no messages, no allocation.
 *
 *   gcc -O2 -o /tmp/ring-floor corosync-benchmarks/src/main/c/ring_floor.c
 *   /tmp/ring-floor [PROCESSES=3] [ROTATIONS=20000] [EPOLL=1]
 *
 * Uses UDP port 6405 on 127.0.0.1 .. 127.0.0.N (Linux routes all of 127/8 to loopback).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/epoll.h>
#include <sys/wait.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  int n=argc>1?atoi(argv[1]):3, rounds=argc>2?atoi(argv[2]):20000, useepoll=argc>3?atoi(argv[3]):1;
  for(int id=1;id<=n;id++){
    if(id<n && fork()!=0) continue;
    int s=socket(AF_INET,SOCK_DGRAM,0); struct sockaddr_in me={0},next={0};
    me.sin_family=AF_INET; me.sin_port=htons(6405); char a[32]; sprintf(a,"127.0.0.%d",id); inet_pton(AF_INET,a,&me.sin_addr);
    if(bind(s,(void*)&me,sizeof me)){perror("bind");exit(1);}
    next=me; sprintf(a,"127.0.0.%d",id%n+1); inet_pton(AF_INET,a,&next.sin_addr);
    int ep=epoll_create1(0); struct epoll_event ev={.events=EPOLLIN}; epoll_ctl(ep,EPOLL_CTL_ADD,s,&ev);
    char buf[1500]; memset(buf,0,57);
    if(id==1){ usleep(300000); }
    double t0=now(); int total=(id==1)?rounds:rounds;
    if(id==1) sendto(s,buf,57,0,(void*)&next,sizeof next);
    for(int r=0;r<total;r++){
      if(useepoll){struct epoll_event out; epoll_wait(ep,&out,1,-1);}
      recv(s,buf,sizeof buf,0);
      if(!(id==1 && r==total-1)) sendto(s,buf,57,0,(void*)&next,sizeof next);
    }
    if(id==1){ double t=now()-t0; printf("%d processes, %d rotations: %.1f us per rotation, %.1f us per hop (%s)\n",n,rounds,t/rounds*1e6,t/rounds/n*1e6,useepoll?"epoll_wait":"blocking recv"); }
    if(id==n){ while(wait(NULL)>0); }
    exit(0);
  }
}
