package io.stockrecon.drift;

import java.time.OffsetDateTime;

import io.stockrecon.stock.CounterValue;

/**
 * A counter that disagreed with PostgreSQL on the first look.
 */
record DriftSuspect(String productId, DriftKind kind, CounterValue redisValue, long postgresValue,
		OffsetDateTime seenAt) {

}
