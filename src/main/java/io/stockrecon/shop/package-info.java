/**
 * The shop's schema as stockrecon sees it: the mapping of its tables, columns, statuses
 * and id types from settings, checked against the database, and the capture triggers
 * installed on the mapped tables.
 */
package io.stockrecon.shop;
