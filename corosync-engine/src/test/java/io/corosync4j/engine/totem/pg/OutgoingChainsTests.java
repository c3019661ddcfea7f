package io.corosync4j.engine.totem.pg;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutgoingChainsTests {

	private final OutgoingChains chains = new OutgoingChains(64);

	private final List<byte[]> frames = new ArrayList<>();

	private final Fragmenter fragmenter = new Fragmenter(58);

	@Test
	void aFrameInTheMiddleOfAChainGivesBackTheWholeMessage() {
		byte[] message = new byte[130];
		for (int i = 0; i < message.length; i++) {
			message[i] = (byte) i;
		}
		add(new byte[20]);
		add(message);
		add(new byte[3]);
		flush();
		// [20, start of 130], middles and the end of 130, then [3]
		int continuing = 0;
		for (int k = 0; k < this.frames.size(); k++) {
			boolean continues = this.frames.get(k)[5] != 0;
			continuing += continues ? 1 : 0;
			OutgoingChains.Cut cut = this.chains.cutBy(this.frames.get(k));
			if (continues) {
				assertThat(cut).as("frame %d", k).isNotNull();
				assertThat(cut.message()).isEqualTo(message);
				assertThat(cut.unsent()).first().isSameAs(this.frames.get(k));
			}
			else {
				assertThat(cut).as("frame %d", k).isNull();
			}
		}
		assertThat(continuing).isGreaterThanOrEqualTo(2);
	}

	@Test
	void aMessageSentAgainIsNotCutAgainByTheEndOfItsFirstChain() {
		byte[] message = new byte[130];
		add(new byte[20]);
		add(message);
		flush();
		byte[] end = this.frames.get(this.frames.size() - 1);
		assertThat(this.chains.cutBy(end).message()).isEqualTo(message);
		Fragmenter whole = new Fragmenter(58);
		List<byte[]> again = new ArrayList<>();
		whole.add(List.of(message), again::add);
		byte[] last = whole.flush();
		if (last != null) {
			again.add(last);
		}
		this.chains.resent(again);
		// the next change finds the old end still queued: the message was delivered whole already
		assertThat(this.chains.cutBy(end)).isNull();
		assertThat(this.chains.cutBy(again.get(1)).message()).isEqualTo(message);
	}

	@Test
	void aFrameThatStartsWithAWholeMessageCutsNothing() {
		add(new byte[20]);
		flush();
		add(new byte[10]);
		flush();
		assertThat(this.chains.cutBy(this.frames.get(1))).isNull();
		assertThat(this.chains.cutBy(null)).isNull();
	}

	@Test
	void chainsOlderThanTheQueuesCanHoldAreForgotten() {
		add(new byte[100]);
		byte[] middle = this.frames.get(1);
		for (int i = 0; i < 200; i++) {
			add(new byte[10]);
			flush();
		}
		assertThat(this.chains.cutBy(middle)).isNull();
	}

	private void add(byte[] message) {
		this.fragmenter.add(List.of(message), this::emit);
	}

	private void flush() {
		byte[] frame = this.fragmenter.flush();
		if (frame != null) {
			emit(frame);
		}
	}

	private void emit(byte[] frame) {
		this.frames.add(frame);
		this.chains.emitted(frame);
	}

}
