package io.stockrecon.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code jobs/class-data-sharing.sh} on the packaged jar: the archive it writes is the
 * one the launch maps (the JVM refuses to start with {@code -Xshare:on} otherwise), and
 * an archive gone stale costs only the speed, never the command's standard output.
 */
class ClassDataSharingIntegrationTests {

	private static final List<String> LOG_OFF_STANDARD_OUTPUT = List.of("-Xlog:disable", "-Xlog:all=warning:stderr");

	@TempDir
	static Path extracted;

	@BeforeAll
	static void writeTheArchive() throws Exception {
		Result script = run(
				List.of("bash", "jobs/class-data-sharing.sh", "target/stockrecon.jar", extracted.toString()));

		assertThat(script.exitCode()).as(script.stderr()).isZero();
		assertThat(extracted.resolve("stockrecon.jsa")).isNotEmptyFile();
		assertThat(script.stdout()).contains("-XX:SharedArchiveFile=" + extracted.resolve("stockrecon.jsa"));
	}

	@Test
	void shouldStartFromTheArchiveItWrote() throws Exception {
		Result help = java("-Xshare:on", "help");

		assertThat(help.exitCode()).as(help.stderr()).isZero();
		assertThat(help.stdout()).contains("Usage: java -jar stockrecon.jar <command>");
	}

	@Test
	void shouldStartWithoutAStaleArchiveAndSaySoOnStandardErrorOnly(@TempDir Path copy) throws Exception {
		copy(extracted, copy);
		// a library replaced after the archive was written, as an upgrade without a new
		// archive
		try (Stream<Path> libraries = Files.list(copy.resolve("lib"))) {
			Path library = libraries.findFirst().orElseThrow();
			Files.setLastModifiedTime(library, FileTime.from(Instant.now().plusSeconds(60)));
		}

		Result help = java(copy, "-Xshare:auto", "help");

		assertThat(help.exitCode()).as(help.stderr()).isZero();
		assertThat(help.stdout()).startsWith("Restores the stock").doesNotContain("[warning]");
		assertThat(help.stderr()).contains("shared archive");
	}

	private static Result java(String share, String command) throws Exception {
		return java(extracted, share, command);
	}

	private static Result java(Path directory, String share, String command) throws Exception {
		List<String> line = new ArrayList<>(
				List.of("java", share, "-XX:SharedArchiveFile=" + directory.resolve("stockrecon.jsa")));
		line.addAll(LOG_OFF_STANDARD_OUTPUT);
		line.addAll(List.of("-jar", directory.resolve("stockrecon.jar").toString(), command));
		return run(line);
	}

	private static void copy(Path from, Path to) throws IOException {
		try (Stream<Path> files = Files.walk(from)) {
			for (Path file : files.toList()) {
				Path target = to.resolve(from.relativize(file).toString());
				if (Files.isDirectory(file)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
				}
			}
		}
	}

	private static Result run(List<String> command) throws Exception {
		Path stdout = Files.createTempFile("cds", ".out");
		Path stderr = Files.createTempFile("cds", ".err");
		try {
			Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile())
				.redirectError(stderr.toFile())
				.start();
			assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
			return new Result(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
		}
		finally {
			Files.deleteIfExists(stdout);
			Files.deleteIfExists(stderr);
		}
	}

	private record Result(int exitCode, String stdout, String stderr) {
	}

}
