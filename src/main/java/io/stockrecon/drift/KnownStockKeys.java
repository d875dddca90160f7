package io.stockrecon.drift;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DataSourceUtils;

import io.stockrecon.shop.KeyType;
import io.stockrecon.shop.ShopMapping;

/**
 * Every stock key, held in memory so that the orphan scan checks a {@code SCAN} page
 * without asking PostgreSQL:
 * <ul>
 * <li>numeric keys in a compressed bitmap: a few MB for 10 M keys. A map of 32-bit
 * bitmaps by high half, not the adaptive radix tree of {@code Roaring64Bitmap}, whose
 * {@code addLong} took 0.24 s for a million ascending keys in a fresh JVM where this
 * takes 0.04 s;</li>
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

	/** Every stock key, in PostgreSQL's binary form (see {@link KeyStream}). */
	private static final String ALL_KEYS = """
			COPY (SELECT CAST(${stock.key} AS ${stock_key_type}) FROM ${stock}) TO STDOUT (FORMAT binary)
			""";

	/** Whether the stock table holds this key, given in PostgreSQL's text form. */
	abstract boolean contains(String canonicalKey);

	/** Whether the stock table holds the {@code i}th stock key of a scanned page. */
	abstract boolean contains(ScannedKeys page, int i);

	/**
	 * Reads every stock key of the shop, or returns {@code null} when keys of this type
	 * are not held in memory, or there are too many. Runs on the transaction's connection
	 * when there is one.
	 * <p>
	 * A binary {@code COPY}, not a query: the keys arrive as a stream of fixed-size
	 * fields read straight into longs, with no row objects and no text to parse (a
	 * million bigint keys: 0.12 s instead of 0.27 s warm, 0.18 s instead of 0.75 s in a
	 * fresh JVM, measured by hand on the benchmark's shop).
	 * @param estimatedKeys the table's estimated rows, to skip a read bound to give up
	 */
	static KnownStockKeys read(DataSource dataSource, ShopMapping shop, long estimatedKeys) {
		KeyType keyType = shop.stockKeyType();
		if (keyType == KeyType.TEXT || (keyType == KeyType.UUID && estimatedKeys > MAX_UUIDS)) {
			return null;
		}
		Connection connection = DataSourceUtils.getConnection(dataSource);
		try (KeyStream keys = new KeyStream(connection.unwrap(PGConnection.class), shop.sql(ALL_KEYS))) {
			return read(keys, keyType, (int) estimatedKeys);
		}
		catch (SQLException | IOException ex) {
			throw new DataAccessResourceFailureException("Could not read the stock keys", ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
	}

	/** The keys of a stream of bigint or uuid keys. */
	static KnownStockKeys read(KeyStream keys, KeyType keyType, int estimatedKeys) throws IOException {
		return (keyType == KeyType.BIGINT) ? Numbers.read(keys) : Uuids.read(keys, estimatedKeys);
	}

	/**
	 * The fields of a one-column binary {@code COPY}, one key after another: the format's
	 * header, then per row a field count and the field's length and bytes, then a count
	 * of -1.
	 */
	static final class KeyStream implements AutoCloseable {

		private static final byte[] SIGNATURE = { 'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0 };

		/** The copy, while the driver still reads it; {@code null} for a plain stream. */
		private final PGCopyInputStream copy;

		private final DataInputStream in;

		private boolean headerRead;

		KeyStream(PGConnection connection, String copySql) throws SQLException {
			this(new PGCopyInputStream(connection, copySql));
		}

		KeyStream(InputStream stream) {
			this.copy = (stream instanceof PGCopyInputStream copyStream) ? copyStream : null;
			this.in = new DataInputStream(new BufferedInputStream(stream, 1 << 16));
		}

		/**
		 * Moves to the next key, whose bytes the caller then reads with
		 * {@link #readLong()}: one long for a bigint, two for a uuid.
		 * @param length the bytes a key has
		 * @return whether there was one (a {@code NULL} key is skipped: it has no
		 * counter)
		 */
		boolean next(int length) throws IOException {
			if (!this.headerRead) {
				readHeader();
			}
			while (this.in.readShort() != -1) {
				int fieldLength = this.in.readInt();
				if (fieldLength == length) {
					return true;
				}
				if (fieldLength != -1) {
					throw new IOException(
							"a stock key of " + fieldLength + " bytes where " + length + " were expected");
				}
			}
			return false;
		}

		/**
		 * Eight bytes of the current key, most significant first, as PostgreSQL sends
		 * them.
		 */
		long readLong() throws IOException {
			return this.in.readLong();
		}

		/** The signature, the flags, and an extension a reader must skip. */
		private void readHeader() throws IOException {
			byte[] signature = new byte[SIGNATURE.length];
			this.in.readFully(signature);
			if (!Arrays.equals(signature, SIGNATURE)) {
				throw new IOException("not PostgreSQL's binary COPY format");
			}
			this.in.readInt();
			this.in.skipNBytes(this.in.readInt());
			this.headerRead = true;
		}

		/**
		 * Reads what the server still sends when the keys were not read to their end (a
		 * failure): closing a copy cancels it, which leaves its rest and its error on the
		 * wire for the connection's next command, and the connection goes back to the
		 * pool out of step.
		 */
		@Override
		public void close() throws IOException {
			if (this.copy != null && this.copy.isActive()) {
				try {
					while (this.copy.readFromCopy() != null) {
						// drained
					}
				}
				catch (SQLException ex) {
					throw new IOException("Could not read the rest of the stock keys", ex);
				}
			}
			this.in.close();
		}

	}

	private static final class Numbers extends KnownStockKeys {

		private final Roaring64NavigableMap keys;

		Numbers(Roaring64NavigableMap keys) {
			this.keys = keys;
		}

		static Numbers read(KeyStream stream) throws IOException {
			Roaring64NavigableMap keys = new Roaring64NavigableMap();
			while (stream.next(Long.BYTES)) {
				keys.addLong(stream.readLong());
			}
			keys.runOptimize();
			return new Numbers(keys);
		}

		@Override
		boolean contains(String canonicalKey) {
			return this.keys.contains(Long.parseLong(canonicalKey));
		}

		@Override
		boolean contains(ScannedKeys page, int i) {
			return this.keys.contains(page.number(i));
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

		/**
		 * The uuids of the stream, or {@code null} when there are more than
		 * {@link #MAX_UUIDS}: the rest is still read to its end, as a copy must be (see
		 * {@link KeyStream#close}).
		 */
		static Uuids read(KeyStream stream, int estimatedKeys) throws IOException {
			// sized for the estimate and a little more, so that it rarely grows
			int capacity = (int) Math.min(MAX_UUIDS, Math.max(1024, estimatedKeys + estimatedKeys / 8L));
			long[] pairs = new long[2 * capacity];
			int size = 0;
			boolean tooMany = false;
			while (stream.next(2 * Long.BYTES)) {
				long most = stream.readLong();
				long least = stream.readLong();
				if (tooMany) {
					continue;
				}
				if (size == MAX_UUIDS) {
					tooMany = true;
					pairs = null;
					continue;
				}
				if (2 * size == pairs.length) {
					pairs = Arrays.copyOf(pairs, (int) Math.min(2L * MAX_UUIDS, 2L * pairs.length));
				}
				pairs[2 * size] = most;
				pairs[2 * size + 1] = least;
				size++;
			}
			return (tooMany) ? null : of(pairs, size);
		}

		/** The first {@code size} pairs of the array, which it sorts in place. */
		static Uuids of(long[] pairs, int size) {
			sort(pairs, 0, size - 1);
			return new Uuids(pairs, size);
		}

		@Override
		boolean contains(String canonicalKey) {
			UUID key = UUID.fromString(canonicalKey);
			return contains(key.getMostSignificantBits(), key.getLeastSignificantBits());
		}

		@Override
		boolean contains(ScannedKeys page, int i) {
			return contains(page.most(i), page.least(i));
		}

		private boolean contains(long most, long least) {
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
