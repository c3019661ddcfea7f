package io.corosync4j.engine.sam;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A supervised child for {@link SamSupervisorTests}: records what it restored, stores its own mark, sends
 * a few heartbeats, then misbehaves: {@code silent} stops heart-beating, {@code exit} exits with status 3.
 */
public final class SamChild {

	private SamChild() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		Path record = Path.of(args[1]);
		try (SamClient sam = SamClient.connect()) {
			String restored = new String(sam.dataRestore(), StandardCharsets.UTF_8);
			Files.writeString(record, "instance " + sam.instanceId() + " restored '" + restored + "'\n",
					StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			sam.dataStore(("from instance " + sam.instanceId()).getBytes(StandardCharsets.UTF_8));
			sam.start();
			for (int i = 0; i < 3; i++) {
				sam.hcSend();
				Thread.sleep(100);
			}
			if (mode.equals("exit")) {
				System.exit(3);
			}
			// silent: alive, but no more heartbeats
			Thread.sleep(60_000);
		}
	}

}
