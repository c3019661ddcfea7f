package io.corosync4j.engine.crypto;

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
	public boolean passesThrough() {
		return true;
	}

	@Override
	public int seal(byte[] plain, int offset, int length, byte[] out, int outOffset) {
		System.arraycopy(plain, offset, out, outOffset, length);
		return length;
	}

	@Override
	public int open(byte[] packet, int offset, int length, byte[] out, int outOffset) {
		System.arraycopy(packet, offset, out, outOffset, length);
		return length;
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
