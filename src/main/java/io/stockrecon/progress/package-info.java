/**
 * Progress lines of long steps, for the people watching a run.
 */
package io.stockrecon.progress;
