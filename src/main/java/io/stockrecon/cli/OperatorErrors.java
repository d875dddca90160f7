package io.stockrecon.cli;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

import org.springframework.data.redis.RedisConnectionFailureException;

import io.stockrecon.shop.ShopMappingException;

/**
 * Turns a failure into the one paragraph an operator needs: what went wrong and what to
 * fix. Stack traces are for {@code --debug}.
 */
final class OperatorErrors {

	private OperatorErrors() {
	}

	/**
	 * Explains a failure to start (the application context could not come up), or
	 * {@code null} when it is not an operator's error.
	 */
	static String explainStartup(Throwable failure) {
		ShopMappingException mapping = find(failure, ShopMappingException.class);
		if (mapping != null) {
			return mapping.getMessage();
		}
		SQLException sql = find(failure, SQLException.class);
		if (sql != null) {
			String state = (sql.getSQLState() != null) ? sql.getSQLState() : "";
			if (state.startsWith("28")) {
				return "PostgreSQL refused the credentials (%s). Check SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD."
					.formatted(firstLine(sql.getMessage()));
			}
			if (state.equals("3D000")) {
				return "The database does not exist (%s). Check the database name in SPRING_DATASOURCE_URL."
					.formatted(firstLine(sql.getMessage()));
			}
			return "PostgreSQL could not be reached or used (%s). Check that it runs and that SPRING_DATASOURCE_URL (now the default jdbc:postgresql://localhost:5432/postgres unless set) points at it."
				.formatted(firstLine(sql.getMessage()));
		}
		if (find(failure, RedisConnectionFailureException.class) != null) {
			return "Redis could not be reached (%s). Check that it runs and SPRING_DATA_REDIS_HOST / SPRING_DATA_REDIS_PORT."
				.formatted(firstLine(rootCause(failure).getMessage()));
		}
		if (find(failure, ConnectException.class) != null || find(failure, UnknownHostException.class) != null) {
			return "A service could not be reached (%s). Check the connection settings (SPRING_DATASOURCE_URL, SPRING_DATA_REDIS_HOST)."
				.formatted(firstLine(rootCause(failure).getMessage()));
		}
		return null;
	}

	/** A short, one-line description of a failure, for the run summary. */
	static String describe(Throwable failure) {
		String explained = explainStartup(failure);
		if (explained != null) {
			return explained;
		}
		Throwable root = rootCause(failure);
		String message = (failure.getMessage() != null) ? failure.getMessage() : failure.getClass().getSimpleName();
		return (root != failure && root.getMessage() != null)
				? "%s (cause: %s)".formatted(firstLine(message), firstLine(root.getMessage())) : firstLine(message);
	}

	static <T extends Throwable> T find(Throwable failure, Class<T> type) {
		for (Throwable current = failure; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

	static Throwable rootCause(Throwable failure) {
		Throwable current = failure;
		while (current.getCause() != null && current.getCause() != current) {
			current = current.getCause();
		}
		return current;
	}

	private static String firstLine(String message) {
		if (message == null) {
			return "no message";
		}
		int newline = message.indexOf('\n');
		return (newline < 0) ? message.strip() : message.substring(0, newline).strip();
	}

}
