package io.stockrecon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feature packages of {@code src/main/java} depend on each other one way: {@code cli}
 * may start {@code demo}, and nothing reaches back. The root package
 * ({@code io.stockrecon}) is left out: it holds the settings every feature reads and the
 * entry point that starts the command line.
 */
class PackageDependenciesTests {

	private static final Path SOURCES = Path.of("src/main/java/io/stockrecon");

	private static final Pattern FEATURE_IMPORT = Pattern.compile("^import (?:static )?io\\.stockrecon\\.(\\w+)\\.",
			Pattern.MULTILINE);

	@Test
	void shouldKeepTheDemoOutOfTheCommandLine() throws IOException {
		assertThat(dependencies().get("demo")).doesNotContain("cli");
	}

	@Test
	void shouldHaveNoCycleBetweenFeaturePackages() throws IOException {
		Map<String, Set<String>> dependencies = dependencies();
		List<List<String>> cycles = new ArrayList<>();
		for (String feature : dependencies.keySet()) {
			findCycles(feature, new ArrayList<>(List.of(feature)), dependencies, cycles);
		}
		assertThat(cycles).as("package cycles").isEmpty();
	}

	private static void findCycles(String start, List<String> path, Map<String, Set<String>> dependencies,
			List<List<String>> cycles) {
		for (String next : dependencies.getOrDefault(path.get(path.size() - 1), Set.of())) {
			if (next.equals(start)) {
				List<String> cycle = new ArrayList<>(path);
				cycle.add(start);
				cycles.add(cycle);
			}
			else if (!path.contains(next) && next.compareTo(start) > 0) {
				path.add(next);
				findCycles(start, path, dependencies, cycles);
				path.remove(path.size() - 1);
			}
		}
	}

	/** Each feature package and the other feature packages it imports from. */
	private static Map<String, Set<String>> dependencies() throws IOException {
		Map<String, Set<String>> dependencies = new TreeMap<>();
		try (Stream<Path> files = Files.walk(SOURCES)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				Path folder = SOURCES.relativize(file.getParent());
				if (folder.getNameCount() == 0 || folder.toString().isEmpty()) {
					continue;
				}
				String feature = folder.getName(0).toString();
				Set<String> imported = dependencies.computeIfAbsent(feature, (key) -> new TreeSet<>());
				Matcher imports = FEATURE_IMPORT.matcher(Files.readString(file));
				while (imports.find()) {
					if (!imports.group(1).equals(feature)) {
						imported.add(imports.group(1));
					}
				}
			}
		}
		return dependencies;
	}

}
