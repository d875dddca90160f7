package io.stockrecon.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

import org.postgresql.PGConnection;

/**
 * Streams a key and an integer out of PostgreSQL with {@code COPY ... TO STDOUT}, parsing
 * the text format as the bytes arrive: the fastest way to read a whole table, in constant
 * memory. The key is an integer ({@link #stream}) or kept as its text, whatever its type
 * ({@link #streamKeyed}: a uuid, a bigint).
 */
final class InventoryCopy {

	private InventoryCopy() {
	}

	/**
	 * @param copy a {@code COPY (SELECT a, b ...) TO STDOUT} of two non-null integers
	 */
	static long stream(Connection connection, String copy, RowHandler handler) throws SQLException {
		try (RowParser parser = new RowParser(handler)) {
			return connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, parser);
		}
		catch (IOException ex) {
			throw new SQLException("COPY failed: " + ex.getMessage(), ex);
		}
	}

	/**
	 * @param copy a {@code COPY (SELECT key, n ...) TO STDOUT} of a non-null key whose
	 * text needs no escaping (a number, a uuid) and a non-null integer
	 */
	static long streamKeyed(Connection connection, String copy, KeyedRowHandler handler) throws SQLException {
		try (KeyedRowParser parser = new KeyedRowParser(handler)) {
			return connection.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, parser);
		}
		catch (IOException ex) {
			throw new SQLException("COPY failed: " + ex.getMessage(), ex);
		}
	}

	@FunctionalInterface
	interface RowHandler {

		void row(long first, long second);

	}

	@FunctionalInterface
	interface KeyedRowHandler {

		void row(String key, long value);

	}

	private static final class RowParser extends OutputStream {

		private final RowHandler handler;

		private long first;

		private long value;

		private boolean negative;

		RowParser(RowHandler handler) {
			this.handler = handler;
		}

		@Override
		public void write(int b) {
			switch (b) {
				case '\t' -> {
					this.first = this.negative ? -this.value : this.value;
					this.value = 0;
					this.negative = false;
				}
				case '\n' -> {
					this.handler.row(this.first, this.negative ? -this.value : this.value);
					this.value = 0;
					this.negative = false;
				}
				case '-' -> this.negative = true;
				default -> this.value = this.value * 10 + (b - '0');
			}
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				write(bytes[i]);
			}
		}

	}

	private static final class KeyedRowParser extends OutputStream {

		private final KeyedRowHandler handler;

		private byte[] key = new byte[64];

		private int keyLength;

		private String keyText;

		private long value;

		private boolean negative;

		KeyedRowParser(KeyedRowHandler handler) {
			this.handler = handler;
		}

		@Override
		public void write(int b) {
			if (this.keyText == null) {
				if (b == '\t') {
					this.keyText = new String(this.key, 0, this.keyLength, StandardCharsets.ISO_8859_1);
					this.keyLength = 0;
				}
				else {
					if (this.keyLength == this.key.length) {
						this.key = Arrays.copyOf(this.key, this.keyLength * 2);
					}
					this.key[this.keyLength++] = (byte) b;
				}
				return;
			}
			switch (b) {
				case '\n' -> {
					this.handler.row(this.keyText, this.negative ? -this.value : this.value);
					this.keyText = null;
					this.value = 0;
					this.negative = false;
				}
				case '-' -> this.negative = true;
				default -> this.value = this.value * 10 + (b - '0');
			}
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			for (int i = offset; i < offset + length; i++) {
				write(bytes[i]);
			}
		}

	}

}
