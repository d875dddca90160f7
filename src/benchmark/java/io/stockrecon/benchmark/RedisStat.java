package io.stockrecon.benchmark;

import java.util.HashMap;
import java.util.Map;

/**
 * One Redis command's counters from {@code INFO commandstats}. The server is shared, so a
 * delta over a job run also counts what other clients did meanwhile: approximate.
 *
 * @param calls how many times it ran
 * @param microseconds the server time it took
 */
record RedisStat(long calls, long microseconds) {

	static Map<String, RedisStat> parse(String info) {
		Map<String, RedisStat> stats = new HashMap<>();
		for (String line : info.split("\r?\n")) {
			if (!line.startsWith("cmdstat_")) {
				continue;
			}
			String command = line.substring("cmdstat_".length(), line.indexOf(':'));
			long calls = 0;
			long microseconds = 0;
			for (String field : line.substring(line.indexOf(':') + 1).split(",")) {
				String[] pair = field.split("=");
				if (pair[0].equals("calls")) {
					calls = Long.parseLong(pair[1]);
				}
				else if (pair[0].equals("usec")) {
					microseconds = Long.parseLong(pair[1]);
				}
			}
			stats.put(command, new RedisStat(calls, microseconds));
		}
		return stats;
	}

	static Map<String, RedisStat> delta(Map<String, RedisStat> before, Map<String, RedisStat> after) {
		Map<String, RedisStat> delta = new HashMap<>();
		after.forEach((command, stat) -> {
			RedisStat earlier = before.getOrDefault(command, new RedisStat(0, 0));
			if (stat.calls() > earlier.calls()) {
				delta.put(command,
						new RedisStat(stat.calls() - earlier.calls(), stat.microseconds() - earlier.microseconds()));
			}
		});
		return delta;
	}

	/** The server's CPU time so far, user and system, from {@code INFO cpu}. */
	static double cpuSeconds(String info) {
		double seconds = 0;
		for (String line : info.split("\r?\n")) {
			if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
				seconds += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
			}
		}
		return seconds;
	}

}
