package io.stockrecon.stock;

/**
 * Set a counter to PostgreSQL's value, but only if it still holds what was seen.
 *
 * @param productId the product
 * @param expected what the counter held when the drift was confirmed
 * @param newValue PostgreSQL's stock
 */
public record CounterRepair(String productId, CounterValue expected, long newValue) {

}
