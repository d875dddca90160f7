package io.stockrecon.drift;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStream;

import io.stockrecon.stock.CounterValue;
import io.stockrecon.stock.RedisStockCounters;

/**
 * Reads the stock of a range of products from PostgreSQL and their counters from Redis
 * with both stores at work at once: as soon as a page of products is read, its
 * {@code MGET}s go out, and the next pages are read while Redis answers. A few pages are
 * in flight; memory stays flat. It hands out a page at a time: the first look handles a
 * page of products as one piece of work, not as many items.
 * <p>
 * It keeps no position of its own, like {@link StockPages}: a restart takes the first
 * look again.
 */
class CounterReadAhead implements ItemStream {

	private final StockPages stock;

	private final RedisStockCounters counters;

	private final int keysPerRead;

	private final int pagesInFlight;

	private final Deque<Page> pages = new ArrayDeque<>();

	private boolean exhausted;

	CounterReadAhead(StockPages stock, RedisStockCounters counters, int keysPerRead, int pagesInFlight) {
		this.stock = stock;
		this.counters = counters;
		this.keysPerRead = keysPerRead;
		this.pagesInFlight = pagesInFlight;
	}

	@Override
	public void open(ExecutionContext executionContext) {
		this.pages.clear();
		this.exhausted = false;
		this.stock.rewind();
	}

	@Override
	public void close() {
		this.pages.clear();
	}

	/**
	 * The next page of products beside their counters, in key order; empty at the end of
	 * the range.
	 */
	List<StockAndCounter> nextPage() {
		fill();
		Page next = this.pages.poll();
		if (next == null) {
			return List.of();
		}
		// the next page is read from PostgreSQL while Redis answers for this one
		fill();
		return next.join();
	}

	/** Reads pages from PostgreSQL and sends their reads to Redis until enough fly. */
	private void fill() {
		while (!this.exhausted && this.pages.size() < this.pagesInFlight) {
			List<InventoryStock> products = this.stock.next();
			if (products.isEmpty()) {
				this.exhausted = true;
			}
			else {
				this.pages.add(new Page(products, readLater(products)));
			}
		}
	}

	/**
	 * Sends a page's reads, one {@code MGET} per {@code keysPerRead} keys, back to back:
	 * Redis answers other clients (checkouts) between them, as it would not inside one
	 * {@code MGET} of the whole page.
	 */
	private List<RedisStockCounters.PendingRead> readLater(List<InventoryStock> products) {
		List<RedisStockCounters.PendingRead> reads = new ArrayList<>();
		for (int from = 0; from < products.size(); from += this.keysPerRead) {
			List<InventoryStock> slice = products.subList(from, Math.min(products.size(), from + this.keysPerRead));
			reads.add(this.counters.readLater(slice.stream().map(InventoryStock::productId).toList()));
		}
		return reads;
	}

	private record Page(List<InventoryStock> products, List<RedisStockCounters.PendingRead> counters) {

		List<StockAndCounter> join() {
			List<CounterValue> values = new ArrayList<>(this.products.size());
			this.counters.forEach((read) -> values.addAll(read.values()));
			List<StockAndCounter> joined = new ArrayList<>(this.products.size());
			for (int i = 0; i < this.products.size(); i++) {
				InventoryStock product = this.products.get(i);
				joined.add(new StockAndCounter(product.productId(), product.stock(), values.get(i)));
			}
			return joined;
		}

	}

}
