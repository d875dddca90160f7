/**
 * Scaling out on Spring Batch's own partitioning: partitions on a thread pool in one JVM.
 */
package io.stockrecon.scale;
