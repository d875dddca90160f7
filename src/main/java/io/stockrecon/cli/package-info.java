/**
 * The command line: parsing, commands, exit codes and the messages operators read.
 */
package io.stockrecon.cli;
