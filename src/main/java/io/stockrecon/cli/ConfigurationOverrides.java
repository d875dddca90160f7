package io.stockrecon.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into the command's own arguments and the configuration overrides
 * ({@code --spring.*}, {@code --stockrecon.*}, {@code --logging.*},
 * {@code --management.*}), which go to Spring Boot untouched, whatever setting they name.
 *
 * @param commandArguments the command and its options, for picocli
 * @param springArguments the configuration overrides, for Spring Boot
 */
record ConfigurationOverrides(List<String> commandArguments, List<String> springArguments) {

	static final List<String> PREFIXES = List.of("--spring.", "--stockrecon.", "--logging.", "--management.");

	static ConfigurationOverrides split(String... args) {
		List<String> command = new ArrayList<>();
		List<String> spring = new ArrayList<>();
		for (String arg : args) {
			if (PREFIXES.stream().anyMatch(arg::startsWith)) {
				spring.add(arg);
			}
			else {
				command.add(arg);
			}
		}
		return new ConfigurationOverrides(List.copyOf(command), List.copyOf(spring));
	}

}
