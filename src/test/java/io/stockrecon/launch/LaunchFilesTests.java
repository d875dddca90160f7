package io.stockrecon.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launch files in {@code jobs/} and {@code docker-compose.yml} parse, call only the
 * packaged jar, and keep the promises an operator relies on.
 */
class LaunchFilesTests {

	@Test
	void shouldParseTheComposeFileWithHealthChecksAndAOneShotJob() throws IOException {
		Map<String, Object> compose = yaml(Path.of("docker-compose.yml")).get(0);

		Map<String, Map<String, Object>> services = map(compose.get("services"));
		assertThat(services).containsKeys("postgres", "redis", "stockrecon");
		assertThat(services.get("postgres")).containsKey("healthcheck");
		assertThat(services.get("redis")).containsKey("healthcheck");
		assertThat(services.get("stockrecon")).containsEntry("restart", "no");
		assertThat(services.get("stockrecon").get("command")).isEqualTo(List.of("run"));
	}

	@Test
	void shouldBuildAnImageOfTheExtractedLayersThatRunsAsANonRootUser() throws IOException {
		List<String> instructions = dockerfileInstructions();

		assertThat(instructions).filteredOn((line) -> line.startsWith("FROM "))
			.allSatisfy((from) -> assertThat(from).startsWith("FROM eclipse-temurin:17-jre"));
		assertThat(instructions).anySatisfy((line) -> assertThat(line).startsWith("COPY target/stockrecon.jar "))
			.anySatisfy((line) -> assertThat(line)
				.contains("java -Djarmode=tools -jar stockrecon.jar extract --layers --destination extracted"));
		// dependencies first: the layer that changes least is the one a rebuild reuses
		List<String> layers = instructions.stream()
			.filter((line) -> line.startsWith("COPY --from="))
			.map((line) -> line.replaceAll(".*/extracted/([a-z-]+)/.*", "$1"))
			.toList();
		assertThat(layers).containsExactly("dependencies", "spring-boot-loader", "snapshot-dependencies",
				"application");
		String user = instructions.stream().filter((line) -> line.startsWith("USER ")).reduce((a, b) -> b).orElse("");
		assertThat(user).isNotEmpty().doesNotContain("root").isNotEqualTo("USER 0");
		// the class data archive is written in the image by the script an operator uses
		// on a host,
		// and read by the entrypoint
		assertThat(instructions).contains("COPY jobs/class-data-sharing.sh /usr/local/bin/",
				"RUN class-data-sharing.sh /app");
		assertThat(instructions).anySatisfy((line) -> assertThat(line).startsWith("ENTRYPOINT ")
			.contains("\"-XX:SharedArchiveFile=/app/stockrecon.jsa\"", "\"-Xlog:all=warning:stderr\"",
					"\"-jar\", \"/app/stockrecon.jar\""));
	}

	@Test
	void shouldNameTheImageOfTheDockerfileInComposeAndKubernetesAlike() throws IOException {
		Map<String, Map<String, Object>> services = map(yaml(Path.of("docker-compose.yml")).get(0).get("services"));
		String image = services.get("stockrecon").get("image").toString();
		List<Map<String, Object>> containers = new ArrayList<>();
		containers.addAll(containers(yaml(Path.of("jobs/k8s/cronjob.yaml")).get(0)));
		containers.addAll(containers(yaml(Path.of("jobs/k8s/worker-deployment.yaml")).get(0)));

		assertThat(image).startsWith("stockrecon:");
		assertThat(Files.readString(Path.of("Dockerfile"))).contains("docker build -t " + image + " .");
		for (String service : List.of("stockrecon", "worker")) {
			assertThat(services.get(service)).containsEntry("image", image).containsEntry("build", ".");
		}
		assertThat(containers).hasSize(2).allSatisfy((container) -> {
			assertThat(container).containsEntry("image", image);
			// the entrypoint is the command line: a "command" would replace it
			assertThat(container).doesNotContainKey("command").containsKey("args");
		});
	}

	@Test
	void shouldForbidConcurrentCronJobsAndTakeCredentialsFromASecret() throws IOException {
		Map<String, Object> cronJob = yaml(Path.of("jobs/k8s/cronjob.yaml")).get(0);

		assertThat(cronJob).containsEntry("kind", "CronJob");
		Map<String, Object> spec = map(cronJob.get("spec"));
		assertThat(spec).containsEntry("concurrencyPolicy", "Forbid");
		String text = Files.readString(Path.of("jobs/k8s/cronjob.yaml"));
		assertThat(text).contains("secretKeyRef").contains("SPRING_DATASOURCE_PASSWORD").contains("podFailurePolicy");
		assertThat(yaml(Path.of("jobs/k8s/secret.example.yaml")).get(0)).containsEntry("kind", "Secret");
	}

	@Test
	void shouldRunTheCronJobAsManagerOfAWorkerDeployment() throws IOException {
		Map<String, Object> deployment = yaml(Path.of("jobs/k8s/worker-deployment.yaml")).get(0);

		assertThat(deployment).containsEntry("kind", "Deployment");
		assertThat(Files.readString(Path.of("jobs/k8s/worker-deployment.yaml"))).contains("\"worker\"");
		assertThat(Files.readString(Path.of("jobs/k8s/cronjob.yaml"))).contains("\"--remote\"");
		Map<String, Map<String, Object>> services = map(yaml(Path.of("docker-compose.yml")).get(0).get("services"));
		assertThat(services).containsKeys("rabbitmq", "worker");
		assertThat(services.get("rabbitmq")).containsKey("healthcheck");
	}

	@Test
	void shouldHaveScriptsThatBashAccepts() throws Exception {
		for (Path script : List.of(Path.of("jobs/relaunch.sh"), Path.of("jobs/class-data-sharing.sh"),
				Path.of(".ci/run"), Path.of(".ci/startup-times"))) {
			Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
			assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();
		}
	}

	/**
	 * The serial collector: on the 2-core machine of the README's benchmark it took a
	 * verify of a million counters from 3.0-3.3 s to 2.5-2.8 s, alone on a kept shop (G1
	 * paused 71 times in such a run, the serial collector 23). The benchmark launches the
	 * job with the same option.
	 */
	@Test
	void shouldLaunchTheJobWithTheSerialCollector() throws IOException {
		// the lines that start the JVM, not a comment or an echo about them
		List<String> launches = new ArrayList<>();
		launches.addAll(lines(Path.of("jobs/cron/stockrecon.crontab"),
				(line) -> !line.startsWith("#") && line.contains("stockrecon.jar run")));
		launches.addAll(lines(Path.of("jobs/systemd/stockrecon.service"), (line) -> line.startsWith("ExecStart=")));
		launches.addAll(lines(Path.of("jobs/relaunch.sh"), (line) -> line.startsWith("\"$JAVA\"")));
		assertThat(launches).hasSize(3).allSatisfy((line) -> assertThat(line).contains("-XX:+UseSerialGC -jar"));
		assertThat(dockerfileInstructions())
			.anySatisfy((line) -> assertThat(line).startsWith("ENTRYPOINT ").contains("\"-XX:+UseSerialGC\""));
	}

	@Test
	void shouldCallOnlyThePackagedJar() throws IOException {
		assertThat(Files.readString(Path.of("jobs/cron/stockrecon.crontab"))).contains("stockrecon.jar run");
		assertThat(Files.readString(Path.of("jobs/systemd/stockrecon.service"))).contains("-jar")
			.contains("stockrecon.jar run");
		assertThat(Files.readString(Path.of("jobs/systemd/stockrecon.timer"))).contains("OnCalendar");
	}

	/** A file's lines that pass a test, stripped. */
	private static List<String> lines(Path file, Predicate<String> test) throws IOException {
		return Files.readAllLines(file).stream().map(String::strip).filter(test).toList();
	}

	/** The containers of a CronJob's or a Deployment's pod template. */
	private static List<Map<String, Object>> containers(Map<String, Object> manifest) {
		Map<String, Object> spec = map(manifest.get("spec"));
		if (spec.containsKey("jobTemplate")) {
			Map<String, Object> jobTemplate = map(spec.get("jobTemplate"));
			spec = map(jobTemplate.get("spec"));
		}
		Map<String, Object> template = map(spec.get("template"));
		Map<String, Object> podSpec = map(template.get("spec"));
		return map(podSpec.get("containers"));
	}

	/** The Dockerfile's instructions, continuation lines joined, comments left out. */
	private static List<String> dockerfileInstructions() throws IOException {
		String joined = Files.readString(Path.of("Dockerfile")).replaceAll("\\\\\n\\s*", " ");
		return joined.lines().map(String::strip).filter((line) -> !line.isEmpty() && !line.startsWith("#")).toList();
	}

	@SuppressWarnings("unchecked")
	private static <T> T map(Object value) {
		return (T) value;
	}

	private static List<Map<String, Object>> yaml(Path file) throws IOException {
		List<Map<String, Object>> documents = new ArrayList<>();
		try (Reader reader = Files.newBufferedReader(file)) {
			for (Object document : new Yaml().loadAll(reader)) {
				documents.add(map(document));
			}
		}
		return documents;
	}

}
