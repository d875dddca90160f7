package io.stockrecon.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap of the job's JVM, from its {@code -Xlog:gc:file=...:time} log. Every
 * collection logs the heap before and after it: the largest "before" is the peak the heap
 * reached (the collector lets garbage pile up to its limits, so it is close to the young
 * generation's size plus the old generation); the largest "after" is the most the job
 * ever kept alive, the figure that must not grow with the data.
 */
record GcLog(String collector, List<Collection> collections) {

	/** The option that writes the log this class reads. */
	static String option(Path file) {
		return "-Xlog:gc:file=" + file + ":time";
	}

	private static final Pattern HEAP = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

	private static final Pattern TIME = Pattern.compile("^\\[([^\\]]+)\\]");

	private static final DateTimeFormatter ISO_WITH_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

	static GcLog read(Path file) throws IOException {
		String collector = "?";
		List<Collection> collections = new ArrayList<>();
		if (!Files.exists(file)) {
			return new GcLog(collector, collections);
		}
		for (String line : Files.readAllLines(file)) {
			if (line.contains("Using ")) {
				collector = line.substring(line.indexOf("Using ") + 6).trim();
			}
			Matcher heap = HEAP.matcher(line);
			Matcher time = TIME.matcher(line);
			if (heap.find() && time.find()) {
				LocalDateTime at = OffsetDateTime.parse(time.group(1), ISO_WITH_OFFSET)
					.atZoneSameInstant(ZoneId.systemDefault())
					.toLocalDateTime();
				collections.add(new Collection(at, line.contains("Pause Full"), megabytes(heap.group(1), heap.group(2)),
						megabytes(heap.group(3), heap.group(4)), megabytes(heap.group(5), heap.group(6))));
			}
		}
		return new GcLog(collector, collections);
	}

	/** The largest heap before a collection between two instants; empty without one. */
	OptionalDouble peakBetween(LocalDateTime from, LocalDateTime to) {
		return during(from, to).mapToDouble(Collection::beforeMegabytes).max();
	}

	/** The largest heap left after a full collection between two instants. */
	OptionalDouble liveBetween(LocalDateTime from, LocalDateTime to) {
		return during(from, to).filter(Collection::full).mapToDouble(Collection::afterMegabytes).max();
	}

	private java.util.stream.Stream<Collection> during(LocalDateTime from, LocalDateTime to) {
		return this.collections.stream().filter((c) -> !c.at().isBefore(from) && !c.at().isAfter(to));
	}

	private static double megabytes(String amount, String unit) {
		double value = Double.parseDouble(amount);
		return switch (unit) {
			case "K" -> value / 1024;
			case "G" -> value * 1024;
			default -> value;
		};
	}

	/**
	 * One collection: when, whether it was a full one, and the heap before, after and
	 * committed, in MB.
	 */
	record Collection(LocalDateTime at, boolean full, double beforeMegabytes, double afterMegabytes,
			double committedMegabytes) {

	}

}
