package io.corosync4j.benchmarks;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * An application with nothing of its own: what Spring Boot's auto-configuration makes of the class path
 * it is started with (the sample's, with or without the corosync4j jars). {@link Startup} times it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class StartupProbe {

	public static void main(String[] args) {
		SpringApplication.run(StartupProbe.class, args);
	}

}
