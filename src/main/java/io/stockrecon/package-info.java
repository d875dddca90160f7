/**
 * stockrecon: restores stock for cancelled and deleted orders exactly once, in PostgreSQL
 * and Redis, and keeps the Redis counters equal to PostgreSQL.
 */
package io.stockrecon;
