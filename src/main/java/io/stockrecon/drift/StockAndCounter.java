package io.stockrecon.drift;

import io.stockrecon.stock.CounterValue;

/**
 * A stock key's available units in PostgreSQL beside its counter in Redis, as the first
 * look reads them.
 *
 * @param productId the stock key
 * @param stock the units in PostgreSQL
 * @param counter the counter in Redis
 */
record StockAndCounter(String productId, long stock, CounterValue counter) {

}
