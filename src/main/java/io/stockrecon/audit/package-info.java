/**
 * What each execution did, read back from the job repository and the audit tables:
 * history, report, prune and metrics.
 */
package io.stockrecon.audit;
