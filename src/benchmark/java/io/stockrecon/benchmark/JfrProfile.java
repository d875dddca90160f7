package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the job's JVM spent its CPU, from the execution samples of its JFR recording: by
 * thread, by the library of the sampled method, by method, and by the first stockrecon
 * method on the stack (what our code asked for).
 */
final class JfrProfile {

	private JfrProfile() {
	}

	static List<String> summarize(Path recording, int top) throws IOException {
		Map<String, Integer> threads = new HashMap<>();
		Map<String, Integer> libraries = new HashMap<>();
		Map<String, Integer> methods = new HashMap<>();
		Map<String, Integer> ours = new HashMap<>();
		int samples = 0;
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				if (stack == null || stack.getFrames().isEmpty()) {
					continue;
				}
				samples++;
				threads.merge(threadGroup(event.getThread("sampledThread").getJavaName()), 1, Integer::sum);
				RecordedFrame topFrame = stack.getFrames().get(0);
				libraries.merge(library(className(topFrame)), 1, Integer::sum);
				methods.merge(name(topFrame), 1, Integer::sum);
				stack.getFrames()
					.stream()
					.filter((frame) -> className(frame).startsWith("io.stockrecon."))
					.findFirst()
					.ifPresent((frame) -> ours.merge(name(frame), 1, Integer::sum));
			}
		}
		List<String> lines = new ArrayList<>();
		lines.add("JFR execution samples: " + samples + " (" + recording + ")");
		section(lines, "by thread", threads, samples, top);
		section(lines, "by library of the running method", libraries, samples, top);
		section(lines, "hottest methods (self)", methods, samples, top);
		section(lines, "first stockrecon method on the stack", ours, samples, top);
		return lines;
	}

	private static void section(List<String> lines, String title, Map<String, Integer> counts, int samples, int top) {
		lines.add("  " + title + ":");
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
			.limit(top)
			.forEach((entry) -> lines
				.add("    %5.1f %%  %s".formatted(100.0 * entry.getValue() / samples, entry.getKey())));
	}

	private static String className(RecordedFrame frame) {
		return frame.getMethod().getType().getName();
	}

	private static String name(RecordedFrame frame) {
		return className(frame) + "." + frame.getMethod().getName();
	}

	private static String threadGroup(String thread) {
		return (thread == null) ? "?" : thread.replaceAll("[-#]?\\d+$", "");
	}

	private static String library(String className) {
		String[][] libraries = { { "io.stockrecon.", "stockrecon" }, { "org.postgresql.", "PgJDBC" },
				{ "com.zaxxer.", "HikariCP" }, { "io.lettuce.", "Lettuce" }, { "io.netty.", "Netty" },
				{ "org.springframework.batch.", "Spring Batch" }, { "org.springframework.jdbc.", "Spring JDBC" },
				{ "org.springframework.", "Spring (other)" }, { "io.micrometer.", "Micrometer" },
				{ "ch.qos.", "Logback" }, { "com.fasterxml.", "Jackson" }, { "java.", "JDK" }, { "jdk.", "JDK" },
				{ "sun.", "JDK" } };
		for (String[] library : libraries) {
			if (className.startsWith(library[0])) {
				return library[1];
			}
		}
		return "other";
	}

}
