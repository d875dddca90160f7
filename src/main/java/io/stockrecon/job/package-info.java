/**
 * The jobs: the order of their steps, and how they are launched one at a time.
 */
package io.stockrecon.job;
