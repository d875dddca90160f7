package io.stockrecon.restore;

/**
 * An order line whose units may come back to stock; keys as text, in the shop's kinds.
 */
record OrderItem(String orderId, String productId, long quantity) {

}
