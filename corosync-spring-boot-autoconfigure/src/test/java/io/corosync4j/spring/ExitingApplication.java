package io.corosync4j.spring;

import java.util.concurrent.CountDownLatch;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.EventListener;

/**
 * An application that cannot work without its node, with the listener {@code docs/fail-stop.md} shows:
 * it exits with the daemon's status when the node stops itself. {@link NodeFailureTests} runs it as a
 * process of its own, since it ends the JVM.
 */
@SpringBootConfiguration
@ImportAutoConfiguration(CorosyncAutoConfiguration.class)
public class ExitingApplication {

	/** Printed once the application runs, so the test knows when to make its node fail. */
	static final String READY = "exiting application ready";

	private final ConfigurableApplicationContext context;

	ExitingApplication(ConfigurableApplicationContext context) {
		this.context = context;
	}

	public static void main(String[] args) throws InterruptedException {
		new SpringApplicationBuilder(ExitingApplication.class).web(WebApplicationType.NONE).run(args);
		System.out.println(READY);
		// the node's threads are daemons: wait, as a web server's threads would keep the JVM alive
		new CountDownLatch(1).await();
	}

	// tag::exit[]
	@EventListener
	void nodeFailed(CorosyncNodeFailedEvent event) {
		System.exit(SpringApplication.exit(this.context, () -> event.getFailure().exitStatus()));
	}
	// end::exit[]

}
