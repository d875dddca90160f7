package io.stockrecon.shop;

import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Migrations 1 and 3 used to create the shop tables and the capture triggers for
 * stockrecon's own names; since the shop mapping, {@link ShopInstallation} does both for
 * the mapped tables, and the two files create neither. A database migrated before keeps
 * the old checksums in its history: exactly those are replaced by the new ones, so
 * Flyway's validation still catches any other edit.
 */
final class LegacyChecksums {

	/** Version, then the checksum before and after. */
	private static final Map<String, long[]> REWRITTEN = Map.of("1", new long[] { -1217372370L, -835927352L }, "3",
			new long[] { 160703223L, 1818812063L });

	private static final String HISTORY_EXISTS = """
			SELECT to_regclass(:table) IS NOT NULL
			""";

	private static final String FIND = """
			SELECT format('SELECT count(*) FROM %I WHERE version = ? AND checksum = ?', :table)
			""";

	private static final String UPDATE = """
			SELECT format('UPDATE %I SET checksum = ? WHERE version = ? AND checksum = ?', :table)
			""";

	private LegacyChecksums() {
	}

	static void upgrade(JdbcClient jdbc, String historyTable) {
		if (!Boolean.TRUE.equals(jdbc.sql(HISTORY_EXISTS).param("table", historyTable).query(Boolean.class).single())) {
			return;
		}
		String find = jdbc.sql(FIND).param("table", historyTable).query(String.class).single();
		String update = jdbc.sql(UPDATE).param("table", historyTable).query(String.class).single();
		REWRITTEN.forEach((version, checksums) -> {
			// only an old history is written to: a job role without rights on it starts
			if (jdbc.sql(find).params(version, (int) checksums[0]).query(Long.class).single() > 0) {
				jdbc.sql(update).params((int) checksums[1], version, (int) checksums[0]).update();
			}
		});
	}

}
