/**
 * The zero-setup demo: embedded PostgreSQL and Redis and a sample shop. The only package
 * that knows embedded stores exist.
 */
package io.stockrecon.demo;
