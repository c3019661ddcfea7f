package io.corosync4j.engine.crypto;

import java.util.Arrays;

/** Packets as they are. */
final class NoCrypto implements PacketCrypto {

	static final NoCrypto INSTANCE = new NoCrypto();

	private NoCrypto() {
	}

	@Override
	public int overhead(int plainLength) {
		return 0;
	}

	@Override
	public byte[] encrypt(byte[] plain, int offset, int length) {
		return Arrays.copyOfRange(plain, offset, offset + length);
	}

	@Override
	public byte[] decrypt(byte[] packet, int offset, int length) {
		return Arrays.copyOfRange(packet, offset, offset + length);
	}

	@Override
	public long rejected() {
		return 0;
	}

	@Override
	public String implementation() {
		return "none";
	}

}
