package io.stockrecon.stock;

/**
 * Units to add to one product's Redis counter, as queued in
 * {@code stockrecon_counter_outbox}.
 *
 * @param outboxId the outbox row: it names the delivery, so a redelivery is recognised
 * @param productId the product
 * @param delta the units to add
 */
public record CounterDelta(long outboxId, String productId, long delta) {

}
