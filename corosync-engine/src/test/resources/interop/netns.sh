#!/usr/bin/env bash
# netns.sh up|down TAG NET N [ON_BRIDGE [NET2]]
# A private test network: N network namespaces <TAG>n1..n<N>, each with a veth whose other end is
# on bridge <TAG>br, addresses <NET>.1 .. <NET>.<N>/24. The addresses exist only inside the
# namespaces; nothing is routed to or from the host's own networks. With ON_BRIDGE = i, node i
# gets no namespace: its address goes on the bridge, for a process of the host (the test JVM).
# With NET2, a second network (a second knet link): veths <TAG>w<i> on bridge <TAG>bs, <NET2>.<i>.
# NETNS_MTU in the environment sets the first network's MTU (default: the kernel's 1500).
set -euo pipefail
action=$1 tag=$2 net=$3 count=$4 onbridge=${5:-0} net2=${6:-}
down() {
	for i in $(seq 1 "$count"); do
		ip netns del "${tag}n$i" 2>/dev/null || true
		# the host end outlives a namespace a process still held
		ip link del "${tag}p$i" 2>/dev/null || true
	done
	ip link del "${tag}br" 2>/dev/null || true
	ip link del "${tag}bs" 2>/dev/null || true
	for i in $(seq 1 "$count"); do
		ip link del "${tag}q$i" 2>/dev/null || true
	done
}
if [ "$action" = down ]; then
	down
	exit 0
fi
down
ip link add "${tag}br" type bridge
ip link set "${tag}br" up
if [ "$onbridge" != 0 ]; then
	ip addr add "$net.$onbridge/24" dev "${tag}br"
fi
for i in $(seq 1 "$count"); do
	[ "$i" = "$onbridge" ] && continue
	ns="${tag}n$i"
	ip netns add "$ns"
	ip link add "${tag}v$i" type veth peer name "${tag}p$i"
	ip link set "${tag}p$i" master "${tag}br"
	ip link set "${tag}p$i" up
	ip link set "${tag}v$i" netns "$ns"
	if [ -n "${NETNS_MTU:-}" ]; then
		ip link set "${tag}p$i" mtu "$NETNS_MTU"
		ip netns exec "$ns" ip link set "${tag}v$i" mtu "$NETNS_MTU"
	fi
	ip netns exec "$ns" ip addr add "$net.$i/24" dev "${tag}v$i"
	ip netns exec "$ns" ip link set "${tag}v$i" up
	ip netns exec "$ns" ip link set lo up
done
if [ -n "$net2" ]; then
	ip link add "${tag}bs" type bridge
	ip link set "${tag}bs" up
	if [ "$onbridge" != 0 ]; then
		ip addr add "$net2.$onbridge/24" dev "${tag}bs"
	fi
	for i in $(seq 1 "$count"); do
		[ "$i" = "$onbridge" ] && continue
		ns="${tag}n$i"
		ip link add "${tag}w$i" type veth peer name "${tag}q$i"
		ip link set "${tag}q$i" master "${tag}bs"
		ip link set "${tag}q$i" up
		ip link set "${tag}w$i" netns "$ns"
		ip netns exec "$ns" ip addr add "$net2.$i/24" dev "${tag}w$i"
		ip netns exec "$ns" ip link set "${tag}w$i" up
	done
fi
