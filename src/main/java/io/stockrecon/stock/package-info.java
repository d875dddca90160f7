/**
 * The Redis side of stock: the counters, and the step that delivers restored units to
 * them exactly once.
 */
package io.stockrecon.stock;
