package io.corosync4j.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.corosync4j.engine.runtime.InteropCluster;

/**
 * Start-up time of Spring Boot applications with and without corosync4j: from the JVM's start to Spring
 * Boot's "Started" line ({@code process running for}), each application in a fresh JVM with the default
 * flags. The class path is the sample's, extracted from its jar ({@code -Djarmode=tools extract}): the
 * web + Actuator application {@link StartupProbe} starts once without the {@code corosync-*} jars and once
 * with the starter (a one-node ring formed before the application is ready), then the sample itself.
 */
final class Startup {

	private static final Pattern STARTED = Pattern.compile("Started \\S+ in [\\d.]+ seconds \\(process running for ([\\d.]+)\\)");

	private static final long BOUND_SECONDS = 120;

	private final Path sampleJar;

	private final Path directory;

	private final int starts;

	/** The start-up times of one application on one class path. */
	record Result(String application, String classPath, List<Long> millis) {
	}

	Startup(Path sampleJar, Path directory, int starts) {
		this.sampleJar = sampleJar;
		this.directory = directory;
		this.starts = starts;
	}

	List<Result> measure() throws Exception {
		if (!Files.isRegularFile(this.sampleJar)) {
			throw new IllegalStateException("no sample application at " + this.sampleJar
					+ ": build it first (./mvnw -q package -DskipTests -pl sample-app -am) or pass --sample-jar");
		}
		Path extracted = Files.createTempDirectory(this.directory, "startup-");
		String output = InteropCluster.run(List.of(java(), "-Djarmode=tools", "-jar", this.sampleJar.toString(),
				"extract", "--force", "--destination", extracted.toString()));
		Path application = extracted.resolve(this.sampleJar.getFileName());
		if (!Files.isRegularFile(application)) {
			throw new IllegalStateException("extracting " + this.sampleJar + " failed: " + output);
		}
		List<String> libraries;
		try (Stream<Path> jars = Files.list(extracted.resolve("lib"))) {
			libraries = jars.map(Path::toString).sorted().toList();
		}
		String probe = Path.of(StartupProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		List<String> withStarter = new ArrayList<>(libraries);
		withStarter.add(probe);
		List<String> without = new ArrayList<>(withStarter);
		without.removeIf((jar) -> Path.of(jar).getFileName().toString().startsWith("corosync-"));
		if (without.size() == withStarter.size()) {
			throw new IllegalStateException("no corosync-* jars in " + extracted.resolve("lib"));
		}
		return List.of(
				new Result("web + Actuator application", "without corosync4j",
						times(List.of("-cp", String.join(":", without), StartupProbe.class.getName()))),
				new Result("web + Actuator application", "with the starter (one-node ring)",
						times(List.of("-cp", String.join(":", withStarter), StartupProbe.class.getName()))),
				new Result("sample application (`KvApplication`)", "with the starter (one-node ring)",
						times(List.of("-jar", application.toString()))));
	}

	private List<Long> times(List<String> launch) throws Exception {
		List<Long> millis = new ArrayList<>();
		for (int i = 0; i < this.starts; i++) {
			millis.add(startOnce(launch));
		}
		return millis;
	}

	/** Starts the application, waits for its "Started" line, then stops it (SIGTERM, as a service manager would). */
	private long startOnce(List<String> launch) throws Exception {
		List<String> command = new ArrayList<>(List.of(java(), "-Djava.net.preferIPv4Stack=true"));
		command.addAll(launch);
		command.addAll(List.of("--server.port=0", "--corosync.totem.port=" + Peers.freePort(),
				"--corosync.system.state-dir=" + Files.createTempDirectory(this.directory, "state-")));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		CompletableFuture<Long> started = new CompletableFuture<>();
		StringBuilder log = new StringBuilder();
		Thread reader = new Thread(() -> read(process, started, log), "startup-output");
		reader.setDaemon(true);
		reader.start();
		try {
			return started.get(BOUND_SECONDS, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			String text;
			synchronized (log) {
				text = log.toString();
			}
			throw new IllegalStateException("no \"Started\" line within " + BOUND_SECONDS + " s from " + command
					+ ":\n" + text, ex);
		}
		finally {
			process.destroy();
			if (!process.waitFor(30, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
			reader.join(TimeUnit.SECONDS.toMillis(10));
		}
	}

	/** Reads the output to its end (a full pipe would hold the shutdown), completing at the "Started" line. */
	private static void read(Process process, CompletableFuture<Long> started, StringBuilder log) {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = lines.readLine()) != null) {
				if (!started.isDone()) {
					synchronized (log) {
						log.append(line).append('\n');
					}
					Matcher matcher = STARTED.matcher(line);
					if (matcher.find()) {
						started.complete(Math.round(Double.parseDouble(matcher.group(1)) * 1000));
					}
				}
			}
			started.completeExceptionally(new IllegalStateException("the application exited: " + process.waitFor()));
		}
		catch (IOException | InterruptedException ex) {
			started.completeExceptionally(ex);
		}
	}

	private static String java() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

}
