/**
 * The command line: picocli commands, the application each one starts, exit codes, the
 * failure analysis of a start, and the tables operators read.
 */
package io.stockrecon.cli;
