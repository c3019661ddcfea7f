package io.corosync4j.engine.service.cpg;

/**
 * A process in a group.
 *
 * @param nodeid its node
 * @param pid its process id on that node (a Java handle has one of its own)
 * @param reason why it is listed ({@link CpgReason#UNDEFINED} in member lists)
 */
public record CpgAddress(long nodeid, long pid, CpgReason reason) {

	@Override
	public String toString() {
		return this.nodeid + "/" + this.pid + ((this.reason == CpgReason.UNDEFINED) ? "" : "/" + this.reason);
	}

}
