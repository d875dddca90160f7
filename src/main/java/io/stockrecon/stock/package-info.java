/**
 * The Redis side of stock: the counters, and the tasklet that delivers restored units to
 * them exactly once (its step is declared with the restore steps).
 */
package io.stockrecon.stock;
