package io.corosync4j.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A replicated key-value store: every instance is a node of one corosync4j ring and applies the same
 * writes in the same order from the CPG group {@code kv}. Run one instance out of the box, or several
 * with the {@code node1}…{@code node3} profiles.
 */
@SpringBootApplication
public class KvApplication {

	public static void main(String[] args) {
		SpringApplication.run(KvApplication.class, args);
	}

}
