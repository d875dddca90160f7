package io.stockrecon.restore;

/**
 * An order line whose units may come back to stock.
 */
record OrderItem(long orderId, long productId, int quantity) {

}
