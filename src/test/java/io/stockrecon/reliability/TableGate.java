package io.stockrecon.reliability;

import java.sql.SQLException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.stockrecon.support.TestStores;

/**
 * Holds a table lock that one of the job's writes must wait for, so that a fault lands at
 * an exact point of a step: for instance after Redis received a delivery of restored
 * units and before PostgreSQL deleted its rows from the outbox. The job is really there,
 * inside its open transaction, when it is killed; the gate is opened only after the kill,
 * so the dead launch can never commit.
 */
final class TableGate implements AutoCloseable {

	private static final String WAITERS = """
			SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
			WHERE NOT l.granted AND c.relname = ? AND l.pid <> pg_backend_pid()
			  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			""";

	private final SideConnection connection;

	private final String table;

	private TableGate(SideConnection connection, String table) {
		this.connection = connection;
		this.table = table;
	}

	/**
	 * Takes {@code SHARE} lock on the table: reads go on, writes wait. It waits itself
	 * for writers that hold the table now to commit.
	 */
	static TableGate close(TestStores.TestDatabase database, String table) {
		SideConnection connection = null;
		try {
			connection = SideConnection.open(database, false);
			// a name from the test's own constants, never from data
			connection.execute("LOCK TABLE " + table + " IN SHARE MODE");
			return new TableGate(connection, table);
		}
		catch (SQLException ex) {
			if (connection != null) {
				connection.close();
			}
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
		return this.connection.number(WAITERS, this.table);
	}

	/** Opens the gate: the lock goes with the rollback. */
	@Override
	public void close() {
		this.connection.close();
	}

}
