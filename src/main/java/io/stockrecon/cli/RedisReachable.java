package io.stockrecon.cli;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

import io.stockrecon.stock.RedisStockCounters;

/**
 * Part of starting {@code run}, {@code restart} and {@code verify}: an unreachable Redis
 * fails the start, before any step runs, so that {@link RedisUnreachableFailureAnalyzer}
 * explains it and the launch exits 2. Registered by {@link Startup}, not scanned.
 */
class RedisReachable implements ApplicationRunner {

	private final RedisStockCounters counters;

	RedisReachable(RedisStockCounters counters) {
		this.counters = counters;
	}

	@Override
	public void run(ApplicationArguments args) {
		this.counters.ping();
	}

}
