-- A restore chunk adds its units to its execution's outbox row of each product (V6), an update
-- whenever an earlier chunk queued the product. On full pages every such update wrote the row's
-- new version to another page, with a new entry in both indexes; with room left on each page
-- PostgreSQL updates the row within its page (a heap-only tuple: no index entry). Measured by hand
-- on the benchmark's shops, 40 chunks of 10 k orders: over 10 k products 20 k of 319 k updates
-- were heap-only before and 308 k after, the table 2,873 pages before and 254 after, and the
-- chunks' SQL took 7 to 10 % less time; over 1 M products 12 % less. The publish empties the
-- outbox, so its pages are written with this setting from the next run on.
ALTER TABLE stockrecon_counter_outbox SET (fillfactor = 70);
