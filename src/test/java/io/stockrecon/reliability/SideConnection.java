package io.stockrecon.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.stockrecon.support.TestStores;

/**
 * A connection of a test's own to its database, beside the job's pool: a {@link JobWatch}
 * looks through it often without opening a connection per look, and a {@link TableGate}
 * holds its lock in its open transaction. Closing it rolls back what is open, so a lock
 * goes with it.
 */
final class SideConnection implements AutoCloseable {

	private final Connection connection;

	private SideConnection(Connection connection) {
		this.connection = connection;
	}

	/**
	 * Opens it, with every statement committed at once, or inside one transaction that
	 * only {@link #close()} ends.
	 */
	static SideConnection open(TestStores.TestDatabase database, boolean autoCommit) throws SQLException {
		Connection connection = DriverManager.getConnection(database.url(), database.username(), database.password());
		connection.setAutoCommit(autoCommit);
		return new SideConnection(connection);
	}

	/** A count, or any other single number, with its parameters. */
	long number(String sql, Object... parameters) {
		try (PreparedStatement statement = this.connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A statement of the caller's, who closes it. */
	PreparedStatement prepare(String sql) throws SQLException {
		return this.connection.prepareStatement(sql);
	}

	/** Runs a statement that takes no parameters, such as a {@code LOCK TABLE}. */
	void execute(String sql) throws SQLException {
		try (Statement statement = this.connection.createStatement()) {
			statement.execute(sql);
		}
	}

	@Override
	public void close() {
		try {
			if (!this.connection.getAutoCommit()) {
				this.connection.rollback();
			}
			this.connection.close();
		}
		catch (SQLException ex) {
			// closing ends the session, and its locks with it
		}
	}

}
