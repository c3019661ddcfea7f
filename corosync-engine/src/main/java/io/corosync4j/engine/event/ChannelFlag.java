package io.corosync4j.engine.event;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a channel handle is opened for ({@code SA_EVT_CHANNEL_CREATE}, {@code _PUBLISHER},
 * {@code _SUBSCRIBER}). Checked where the operation is applied, so a handle opened only to subscribe
 * cannot publish on any member.
 */
public enum ChannelFlag {

	/** Create the channel if no channel has the name. */
	CREATE,

	/** The handle may publish. */
	PUBLISH,

	/** The handle may subscribe. */
	SUBSCRIBE;

	/** The flags as the bits the operations carry. */
	static int bits(Set<ChannelFlag> flags) {
		int bits = 0;
		for (ChannelFlag flag : flags) {
			bits |= 1 << flag.ordinal();
		}
		return bits;
	}

	static Set<ChannelFlag> of(int bits) {
		EnumSet<ChannelFlag> flags = EnumSet.noneOf(ChannelFlag.class);
		for (ChannelFlag flag : values()) {
			if ((bits & (1 << flag.ordinal())) != 0) {
				flags.add(flag);
			}
		}
		return flags;
	}

	/** The bits any flag uses. */
	static final int ALL = 0b111;

}
