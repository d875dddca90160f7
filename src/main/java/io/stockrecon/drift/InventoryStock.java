package io.stockrecon.drift;

/**
 * A product's available stock in PostgreSQL, as the verify step streams it.
 */
record InventoryStock(long productId, int stock) {

}
