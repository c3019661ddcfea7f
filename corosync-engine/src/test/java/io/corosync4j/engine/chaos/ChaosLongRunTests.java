package io.corosync4j.engine.chaos;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long chaos run from Maven, only when asked for ({@code -Dcorosync4j.chaos.minutes=60}); see
 * {@code docs/chaos.md}. Further properties: {@code corosync4j.chaos.rings}, {@code .seed}, {@code .rate},
 * {@code .max-size}, {@code .token}, {@code .dir}, {@code .wait-sync} ({@link ChaosMain}'s options).
 */
@EnabledIfSystemProperty(named = "corosync4j.chaos.minutes", matches = ".+")
class ChaosLongRunTests {

	@Test
	void longRun() throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String key : new String[] { "minutes", "rings", "seed", "rate", "max-size", "token", "dir", "wait-sync" }) {
			String value = System.getProperty("corosync4j.chaos." + key);
			if (value != null && !(key.equals("wait-sync") && value.equals("false"))) {
				options.put(key, value);
			}
		}
		ChaosMain.Outcome outcome = ChaosMain.run(options, System.out);
		assertThat(outcome.failures()).as(ChaosMain.table(outcome.results())).isEmpty();
	}

}
