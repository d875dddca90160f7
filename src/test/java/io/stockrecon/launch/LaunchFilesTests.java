package io.stockrecon.launch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
		assertThat(services.get("stockrecon").get("command").toString()).contains("stockrecon.jar");
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
		for (Path script : List.of(Path.of("jobs/relaunch.sh"), Path.of(".ci/run"))) {
			Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
			assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
			assertThat(check.exitValue()).as(new String(check.getInputStream().readAllBytes())).isZero();
		}
	}

	@Test
	void shouldCallOnlyThePackagedJar() throws IOException {
		assertThat(Files.readString(Path.of("jobs/cron/stockrecon.crontab"))).contains("stockrecon.jar run");
		assertThat(Files.readString(Path.of("jobs/systemd/stockrecon.service"))).contains("-jar")
			.contains("stockrecon.jar run");
		assertThat(Files.readString(Path.of("jobs/systemd/stockrecon.timer"))).contains("OnCalendar");
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
