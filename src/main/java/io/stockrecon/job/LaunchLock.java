package io.stockrecon.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessResourceFailureException;

/**
 * One stockrecon execution at a time per database, whatever its run date.
 * <p>
 * The lock is a PostgreSQL session-level advisory lock held on a dedicated connection for
 * the whole launch. PostgreSQL releases it when that session ends, also when the JVM is
 * killed with {@code kill -9}. So whoever holds it knows that every execution the job
 * repository still shows as running is stale and may be recovered. Spring Batch's own
 * checks cannot tell a dead JVM from a live one, and its restart path does not even guard
 * concurrent launches (spring-batch #5397).
 */
public class LaunchLock {

	/** "stockrec" as a number: the advisory lock key every stockrecon process uses. */
	static final long KEY = 0x73746f636b726563L;

	private final DataSource dataSource;

	public LaunchLock(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * @return the held lock, or {@code null} when another process holds it
	 */
	public Held tryAcquire() {
		Connection connection = null;
		try {
			connection = this.dataSource.getConnection();
			connection.setAutoCommit(true);
			try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
				statement.setLong(1, KEY);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					if (result.getBoolean(1)) {
						return new Held(connection);
					}
				}
			}
			connection.close();
			return null;
		}
		catch (SQLException ex) {
			closeQuietly(connection);
			throw new DataAccessResourceFailureException("Could not take the stockrecon launch lock", ex);
		}
	}

	private static void closeQuietly(Connection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (SQLException ex) {
				// the session is gone, and the lock with it
			}
		}
	}

	/**
	 * The lock, held until closed.
	 */
	public static final class Held implements AutoCloseable {

		private final Connection connection;

		private Held(Connection connection) {
			this.connection = connection;
		}

		@Override
		public void close() {
			try (PreparedStatement statement = this.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
				statement.setLong(1, KEY);
				statement.execute();
			}
			catch (SQLException ex) {
				// closing the session below releases the lock anyway
			}
			finally {
				closeQuietly(this.connection);
			}
		}

	}

}
