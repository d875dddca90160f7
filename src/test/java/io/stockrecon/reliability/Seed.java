package io.stockrecon.reliability;

import java.security.SecureRandom;

/**
 * The seed of a test class's random choices: printed, and taken from
 * {@code -Dstockrecon.reliability.seed=N} to replay a run.
 */
final class Seed {

	static final String PROPERTY = "stockrecon.reliability.seed";

	private Seed() {
	}

	static long of(String testClass) {
		Long given = Long.getLong(PROPERTY);
		long seed = (given != null) ? given : new SecureRandom().nextLong();
		System.out.printf("[reliability] %s: seed %d (replay with -D%s=%d)%n", testClass, seed, PROPERTY, seed);
		return seed;
	}

}
