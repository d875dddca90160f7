package io.stockrecon.drift;

/**
 * A stock key's available units in PostgreSQL, as the verify step streams them.
 */
record InventoryStock(String productId, long stock) {

}
