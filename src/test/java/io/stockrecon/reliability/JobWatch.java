package io.stockrecon.reliability;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongPredicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import io.stockrecon.support.StockreconJar;
import io.stockrecon.support.TestStores;

/**
 * Watches the job repository of a test database from one connection of its own, to pick
 * the moment of a fault: which execution and step are running, and how many chunks the
 * step has committed. Polling opens no connection per look, so it can look often.
 */
final class JobWatch implements AutoCloseable {

	/** Where a launch was when it was killed, before its execution existed. */
	static final String STARTUP = "startup";

	/** A launch killed while its execution ran but no step did. */
	static final String BETWEEN_STEPS = "between-steps";

	private static final String LATEST_EXECUTION = """
			SELECT coalesce(max(job_execution_id), 0) FROM batch_job_execution
			""";

	private static final String STEP_PROGRESS = """
			SELECT coalesce(bool_or(step_name = ? AND status = 'STARTED'), false),
			       coalesce(max(commit_count) FILTER (WHERE step_name = ? OR step_name LIKE ? || 'Partition:%'), 0)
			FROM batch_step_execution WHERE job_execution_id = ?
			""";

	private static final String RUNNING_STEPS = """
			SELECT step_name FROM batch_step_execution
			WHERE job_execution_id = ? AND status = 'STARTED' AND step_name NOT LIKE '%Partition:%'
			ORDER BY step_execution_id
			""";

	private final SideConnection connection;

	JobWatch(TestStores.TestDatabase database) {
		try {
			this.connection = SideConnection.open(database, true);
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not open the watch connection", ex);
		}
	}

	/** The newest job execution id, 0 when there is none. */
	synchronized long latestExecution() {
		return this.connection.number(LATEST_EXECUTION);
	}

	/**
	 * Waits until an execution newer than {@code after} runs {@code step} and has
	 * committed at least {@code commits} chunks in it.
	 * @return whether it came to that; {@code false} when the launch ended first
	 */
	boolean awaitStep(StockreconJar.Launch launch, long after, String step, LongPredicate commits, Duration atMost) {
		try {
			Awaitility.await()
				.atMost(atMost)
				.pollDelay(Duration.ZERO)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> !launch.process().isAlive() || reached(after, step, commits));
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(
					"stockrecon never reached step %s within %s:%n%s".formatted(step, atMost, launch.outputText()), ex);
		}
		return launch.process().isAlive();
	}

	/** Whether the newest execution, if newer than {@code after}, is in that state. */
	synchronized boolean reached(long after, String step, LongPredicate commits) throws SQLException {
		long execution = latestExecution();
		if (execution <= after) {
			return false;
		}
		try (PreparedStatement statement = this.connection.prepare(STEP_PROGRESS)) {
			statement.setString(1, step);
			statement.setString(2, step);
			statement.setString(3, step);
			statement.setLong(4, execution);
			try (ResultSet result = statement.executeQuery()) {
				result.next();
				return result.getBoolean(1) && commits.test(result.getLong(2));
			}
		}
	}

	/**
	 * Where a killed launch was: the step its execution showed as running, or
	 * {@link #STARTUP} when it had not created an execution newer than {@code after}.
	 */
	synchronized String landing(long after) {
		return landing(after, null);
	}

	/**
	 * Where a kill landed, preferring the step it was aimed at when that one was running:
	 * the first look and the orphan scan run side by side.
	 */
	synchronized String landing(long after, String aimedAt) {
		long execution = latestExecution();
		if (execution <= after) {
			return STARTUP;
		}
		List<String> steps = new ArrayList<>();
		try (PreparedStatement statement = this.connection.prepare(RUNNING_STEPS)) {
			statement.setLong(1, execution);
			try (ResultSet result = statement.executeQuery()) {
				while (result.next()) {
					steps.add(result.getString(1));
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		if (aimedAt != null && steps.contains(aimedAt)) {
			return aimedAt;
		}
		return steps.isEmpty() ? BETWEEN_STEPS : steps.get(steps.size() - 1);
	}

	/** A count, or any other single number, with its parameters. */
	synchronized long count(String sql, Object... parameters) {
		return this.connection.number(sql, parameters);
	}

	@Override
	public synchronized void close() {
		this.connection.close();
	}

}
