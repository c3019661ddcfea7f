package io.corosync4j.engine.transport.knet;

/**
 * Per-link traffic counters, named as Corosync names them under {@code stats.knet.node<N>.link<L>.*}.
 * Transmitted bytes are counted sealed (encrypted), received bytes plain, as libknet counts them. The
 * {@code *_total_*} keys are sums of these and are computed when read.
 */
public enum KnetCounter {

	TX_DATA_PACKETS("tx_data_packets"), RX_DATA_PACKETS("rx_data_packets"), TX_DATA_BYTES("tx_data_bytes"),
	RX_DATA_BYTES("rx_data_bytes"), TX_PING_PACKETS("tx_ping_packets"), RX_PING_PACKETS("rx_ping_packets"),
	TX_PING_BYTES("tx_ping_bytes"), RX_PING_BYTES("rx_ping_bytes"), TX_PONG_PACKETS("tx_pong_packets"),
	RX_PONG_PACKETS("rx_pong_packets"), TX_PONG_BYTES("tx_pong_bytes"), RX_PONG_BYTES("rx_pong_bytes"),
	TX_PMTU_PACKETS("tx_pmtu_packets"), RX_PMTU_PACKETS("rx_pmtu_packets"), TX_PMTU_BYTES("tx_pmtu_bytes"),
	RX_PMTU_BYTES("rx_pmtu_bytes"),

	/** Every send the operating system refused on the link (the socket does not say which kind it was). */
	TX_DATA_ERRORS("tx_data_errors");

	private final String statName;

	KnetCounter(String statName) {
		this.statName = statName;
	}

	/** The last part of the CMAP key. */
	public String statName() {
		return this.statName;
	}

	boolean transmit() {
		return this.statName.startsWith("tx_");
	}

	boolean packets() {
		return this.statName.endsWith("_packets");
	}

	boolean bytes() {
		return this.statName.endsWith("_bytes");
	}

}
