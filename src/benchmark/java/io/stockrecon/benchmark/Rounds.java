package io.stockrecon.benchmark;

import java.util.Comparator;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Which of several rounds of a row counts: the round whose ratio (job over limit, or
 * night over history against night without) is the median. Each round runs its two sides
 * one after the other, so a round's ratio compares the same minutes of the machine; on
 * this shared 2-core machine the same work moves by half from one minute to the next. The
 * best of three of each side, used until the sixteenth session, paired one side's
 * quickest minute with the other's and was at the mercy of one quick round on either
 * side: at 17:16 of the fourteenth session one night without history took 2.56 s where
 * its other two took 3.72 and 3.83 s and the nights with history 3.62 to 3.85 s, and the
 * row missed at 1.41x. The median of five rounds is moved by neither one quick nor one
 * slow round.
 */
final class Rounds {

	private Rounds() {
	}

	/**
	 * The round with the median of the given ratio; of an even number of rounds, the
	 * greater of the two in the middle (the verdict errs towards a miss).
	 */
	static <T> T median(List<T> rounds, ToDoubleFunction<T> ratio) {
		if (rounds.isEmpty()) {
			throw new IllegalArgumentException("no round to choose from");
		}
		List<T> sorted = rounds.stream().sorted(Comparator.comparingDouble(ratio)).toList();
		return sorted.get(sorted.size() / 2);
	}

}
