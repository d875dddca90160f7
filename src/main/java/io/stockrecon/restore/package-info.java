/**
 * The restore steps: cancelled and deleted orders get their units back, exactly once;
 * {@link io.stockrecon.restore.RestorationWriter} is where that is decided.
 */
package io.stockrecon.restore;
