package io.stockrecon.benchmark;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.SQLException;

import org.postgresql.PGConnection;

/**
 * Streams two integer columns out of PostgreSQL with {@code COPY ... TO STDOUT}, parsing
 * the text format as the bytes arrive: the fastest way to read a whole table, in constant
 * memory.
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

	@FunctionalInterface
	interface RowHandler {

		void row(long first, long second);

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

}
