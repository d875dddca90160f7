/**
 * The verify steps: compare every Redis counter with PostgreSQL and repair the drift that
 * persists, safely under live checkouts.
 */
package io.stockrecon.drift;
