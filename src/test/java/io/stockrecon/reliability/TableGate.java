package io.stockrecon.reliability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.stockrecon.support.TestStores;

/**
 * Holds a table lock that one of the job's writes must wait for, so that a fault lands at
 * an exact point of a step: for instance after Redis received a batch of restored units
 * and before PostgreSQL deleted them from the outbox. The job is really there, inside its
 * open transaction, when it is killed; the gate is opened only after the kill, so the
 * dead launch can never commit.
 */
final class TableGate implements AutoCloseable {

	private static final String WAITERS = """
			SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			WHERE NOT l.granted AND c.relname = ? AND l.pid <> pg_backend_pid()
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	private final Connection connection;

	private final String table;

	private TableGate(Connection connection, String table) {
		this.connection = connection;
		this.table = table;
	}

	/**
	 * Takes {@code SHARE} lock on the table: reads go on, writes wait. It waits itself
	 * for writers that hold the table now to commit.
	 */
	static TableGate close(TestStores.TestDatabase database, String table) {
		try {
			Connection connection = DriverManager.getConnection(database.url(), database.username(),
					database.password());
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				// a name from the test's own constants, never from data
				statement.execute("LOCK TABLE " + table + " IN SHARE MODE");
			}
			return new TableGate(connection, table);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not lock " + table, ex);
		}
	}

	/**
	 * Waits until a session waits for this gate.
	 * @return whether one did within the time given
	 */
	boolean awaitWaiter(Duration atMost, BooleanSupplier stillWorthWaiting) {
		try {
			Awaitility.await()
				.atMost(atMost)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> waiters() > 0 || !stillWorthWaiting.getAsBoolean());
			return waiters() > 0;
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	private long waiters() {
		// pg_locks shows the locks of this moment, also inside the gate's transaction
		try (PreparedStatement statement = this.connection.prepareStatement(WAITERS)) {
			statement.setString(1, this.table);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getLong(1);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Opens the gate: the lock goes with the rollback. */
	@Override
	public void close() {
		try {
			this.connection.rollback();
			this.connection.close();
		}
		catch (SQLException ex) {
			// closing the session releases the lock anyway
		}
	}

}
