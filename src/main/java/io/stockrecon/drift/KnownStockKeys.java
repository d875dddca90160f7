package io.stockrecon.drift;

import java.util.Arrays;
import java.util.UUID;

import javax.sql.DataSource;

import org.roaringbitmap.longlong.Roaring64Bitmap;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

import io.stockrecon.shop.KeyType;

/**
 * Every stock key, held in memory so that the orphan scan checks a {@code SCAN} page
 * without asking PostgreSQL:
 * <ul>
 * <li>numeric keys in a compressed bitmap: a few MB for 10 M keys;</li>
 * <li>uuids as sorted pairs of longs: 16 bytes a key, so only up to {@link #MAX_UUIDS}
 * (32 MB); a bigger table is checked against PostgreSQL a page at a time, as text keys
 * always are.</li>
 * </ul>
 * Exact as of the read, at the start of the orphan scan: a key it does not know is asked
 * of the stock table again before it counts as an orphan (a product may have been created
 * since).
 */
abstract class KnownStockKeys {

	/** The most uuids held in memory: 32 MB, half the heap a verify may keep. */
	static final int MAX_UUIDS = 2_000_000;

	/** Rows per round trip while the keys stream in. */
	private static final int FETCH_SIZE = 50_000;

	/** Whether the stock table holds this key, given in PostgreSQL's text form. */
	abstract boolean contains(String canonicalKey);

	/**
	 * Reads every key of {@code allKeys} (one column, the stock key), or returns
	 * {@code null} when keys of this type are not held in memory, or there are too many.
	 * Called inside a transaction, so that the driver fetches the rows a batch at a time
	 * instead of all at once.
	 * @param estimatedKeys the table's estimated rows, to skip a read bound to give up
	 */
	static KnownStockKeys read(DataSource dataSource, String allKeys, KeyType keyType, long estimatedKeys) {
		JdbcTemplate streaming = new JdbcTemplate(dataSource);
		streaming.setFetchSize(FETCH_SIZE);
		return switch (keyType) {
			case BIGINT -> {
				Roaring64Bitmap keys = new Roaring64Bitmap();
				streaming.query(allKeys, (RowCallbackHandler) (rs) -> keys.addLong(rs.getLong(1)));
				keys.runOptimize();
				yield new Numbers(keys);
			}
			case UUID -> (estimatedKeys <= MAX_UUIDS) ? Uuids.read(streaming, allKeys, (int) estimatedKeys) : null;
			case TEXT -> null;
		};
	}

	private static final class Numbers extends KnownStockKeys {

		private final Roaring64Bitmap keys;

		Numbers(Roaring64Bitmap keys) {
			this.keys = keys;
		}

		@Override
		boolean contains(String canonicalKey) {
			return this.keys.contains(Long.parseLong(canonicalKey));
		}

	}

	/**
	 * Uuids as pairs of longs (most, least significant bits) in one array, sorted by
	 * pair, searched by halving.
	 */
	static final class Uuids extends KnownStockKeys {

		private final long[] pairs;

		private final int size;

		private Uuids(long[] pairs, int size) {
			this.pairs = pairs;
			this.size = size;
		}

		static Uuids read(JdbcTemplate streaming, String allKeys, int estimatedKeys) {
			// one row more than may be held tells that there are too many, and no more
			streaming.setMaxRows(MAX_UUIDS + 1);
			// sized for the estimate and a little more, so that it rarely grows
			int capacity = (int) Math.min(MAX_UUIDS, Math.max(1024, estimatedKeys + estimatedKeys / 8L));
			long[][] pairs = { new long[2 * capacity] };
			int[] size = { 0 };
			boolean[] tooMany = { false };
			streaming.query(allKeys, (RowCallbackHandler) (rs) -> {
				if (tooMany[0]) {
					return;
				}
				if (size[0] == MAX_UUIDS) {
					tooMany[0] = true;
					pairs[0] = null;
					return;
				}
				if (2 * size[0] == pairs[0].length) {
					pairs[0] = Arrays.copyOf(pairs[0], (int) Math.min(2L * MAX_UUIDS, 2L * pairs[0].length));
				}
				UUID key = rs.getObject(1, UUID.class);
				pairs[0][2 * size[0]] = key.getMostSignificantBits();
				pairs[0][2 * size[0] + 1] = key.getLeastSignificantBits();
				size[0]++;
			});
			return (tooMany[0]) ? null : of(pairs[0], size[0]);
		}

		/** The first {@code size} pairs of the array, which it sorts in place. */
		static Uuids of(long[] pairs, int size) {
			sort(pairs, 0, size - 1);
			return new Uuids(pairs, size);
		}

		@Override
		boolean contains(String canonicalKey) {
			UUID key = UUID.fromString(canonicalKey);
			long most = key.getMostSignificantBits();
			long least = key.getLeastSignificantBits();
			int low = 0;
			int high = this.size - 1;
			while (low <= high) {
				int middle = (low + high) >>> 1;
				int order = compare(this.pairs[2 * middle], this.pairs[2 * middle + 1], most, least);
				if (order < 0) {
					low = middle + 1;
				}
				else if (order > 0) {
					high = middle - 1;
				}
				else {
					return true;
				}
			}
			return false;
		}

		private static int compare(long most, long least, long otherMost, long otherLeast) {
			int order = Long.compare(most, otherMost);
			return (order != 0) ? order : Long.compare(least, otherLeast);
		}

		/**
		 * Quicksort of the pairs {@code first..last}, recursing into the smaller part.
		 */
		private static void sort(long[] pairs, int first, int last) {
			while (last - first > 16) {
				int middle = (first + last) >>> 1;
				long pivotMost = pairs[2 * middle];
				long pivotLeast = pairs[2 * middle + 1];
				int i = first;
				int j = last;
				while (i <= j) {
					while (compare(pairs[2 * i], pairs[2 * i + 1], pivotMost, pivotLeast) < 0) {
						i++;
					}
					while (compare(pairs[2 * j], pairs[2 * j + 1], pivotMost, pivotLeast) > 0) {
						j--;
					}
					if (i <= j) {
						swap(pairs, i++, j--);
					}
				}
				if (j - first < last - i) {
					sort(pairs, first, j);
					first = i;
				}
				else {
					sort(pairs, i, last);
					last = j;
				}
			}
			for (int i = first + 1; i <= last; i++) {
				for (int j = i; j > first
						&& compare(pairs[2 * j - 2], pairs[2 * j - 1], pairs[2 * j], pairs[2 * j + 1]) > 0; j--) {
					swap(pairs, j - 1, j);
				}
			}
		}

		private static void swap(long[] pairs, int a, int b) {
			long most = pairs[2 * a];
			long least = pairs[2 * a + 1];
			pairs[2 * a] = pairs[2 * b];
			pairs[2 * a + 1] = pairs[2 * b + 1];
			pairs[2 * b] = most;
			pairs[2 * b + 1] = least;
		}

	}

}
