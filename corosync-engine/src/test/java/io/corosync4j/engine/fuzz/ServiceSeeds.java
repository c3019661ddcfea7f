package io.corosync4j.engine.fuzz;

import java.util.ArrayList;
import java.util.List;

import io.corosync4j.engine.totem.pg.CapturedServiceMessages;

/** Service messages of the udpu captures, reassembled, as seeds for the service decoders. */
public final class ServiceSeeds {

	private static List<CapturedServiceMessages.Message> messages;

	private ServiceSeeds() {
	}

	/** The messages of group {@code group}; for group "a", only those of service {@code service} (else -1). */
	public static synchronized List<byte[]> of(String group, int service) {
		if (messages == null) {
			List<CapturedServiceMessages.Message> all = new ArrayList<>();
			for (String scenario : List.of("udpu-3node-lifecycle", "udpu-recovery-encapsulated")) {
				all.addAll(CapturedServiceMessages.load(scenario));
			}
			messages = all;
		}
		List<byte[]> payloads = new ArrayList<>();
		for (CapturedServiceMessages.Message message : messages) {
			if (message.group().equals(group) && (service < 0 || message.payload().length >= 4
					&& message.serviceId() >>> 16 == service)) {
				payloads.add(message.payload());
			}
		}
		return payloads;
	}

}
