/**
 * The benchmark of issue 5: generates a shop, runs the packaged job against it and
 * measures, on the same data and in the same run, the physical limit of the same work.
 * Run it with {@code ./mvnw -B -Pbenchmark verify}; it is not a test, and it lives in a
 * source set of its own that only that profile compiles, so {@code ./mvnw -B verify}
 * neither compiles nor runs it.
 */
package io.stockrecon.benchmark;
