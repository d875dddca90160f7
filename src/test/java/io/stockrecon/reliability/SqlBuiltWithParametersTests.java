package io.stockrecon.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SQL in {@code src/main/java} is constant text with bind parameters: no SQL string is
 * concatenated with {@code +}, filled in with {@code formatted(...)},
 * {@code String.format(...)} or {@code replace(...)}. A value that reached SQL text that
 * way would be an injection waiting to happen; as parameters they are data, whatever they
 * hold. The one way a name gets into SQL is a placeholder that
 * {@link io.stockrecon.shop.ShopMapping#sql(String)} fills with a quoted identifier from
 * the validated mapping ({@code ShopMappingTests} checks every placeholder in use).
 */
@Tag("reliability")
class SqlBuiltWithParametersTests {

	/**
	 * SQL text that is built and known to be safe, each exactly as found, with the
	 * reason: the report prints these queries for the operator to copy and run;
	 * stockrecon never executes them, and the only value in them is a {@code long}
	 * execution id. The restore's two set-based statements share their first part, a
	 * constant: the compiler joins them, no value ever does.
	 */
	static final Map<String, String> KNOWN_SAFE = Map.of(
			"src/main/java/io/stockrecon/audit/ExecutionHistory.java: SELECT * FROM stock_restorations WHERE job_execution_id = %d ORDER BY order_id;",
			"printed by report, never executed; a long id",
			"src/main/java/io/stockrecon/audit/ExecutionHistory.java: SELECT * FROM stockrecon_skipped_items WHERE job_execution_id = %d ORDER BY id;",
			"printed by report, never executed; a long id",
			"src/main/java/io/stockrecon/audit/ExecutionHistory.java: SELECT * FROM stockrecon_drift_audit WHERE job_execution_id = %d ORDER BY id;",
			"printed by report, never executed; a long id");

	/** What makes a literal SQL: the shape of a statement or of a clause. */
	static final Pattern SQL = Pattern
		.compile("(?is)\\bselect\\b.*\\bfrom\\b|\\binsert\\s+into\\b|\\bupdate\\s+\\S+\\s+set\\b"
				+ "|\\bdelete\\s+from\\b|\\block\\s+table\\b|\\btruncate\\b|\\b(create|drop|alter)\\s+(table|index|role|database|schema|sequence|temporary)\\b"
				+ "|(?-i:\\b(WHERE|AND|OR|ORDER BY|GROUP BY|FROM|JOIN|SET|VALUES|LIMIT|IN)\\b)");

	static final Pattern TEXT_BLOCK = Pattern.compile("(?s)\"\"\"(.*?)\"\"\"");

	static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

	static final Pattern BUILT_AFTER = Pattern.compile("^\\s*(\\+|\\.formatted\\s*\\(|\\.replace(All|First)?\\s*\\()");

	static final Pattern BUILT_BEFORE = Pattern.compile("(\\+|String\\.format\\s*\\(|\\.concat\\s*\\()\\s*$");

	@Test
	void shouldBuildNoSqlFromStringsInTheMainCode() throws IOException {
		List<String> violations = new ArrayList<>();
		int files = 0;
		try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).sorted().toList()) {
				files++;
				String name = source.toString().replace('\\', '/');
				violations(Files.readString(source)).stream()
					.map((found) -> name + ": " + found)
					.filter((found) -> !KNOWN_SAFE.containsKey(found))
					.forEach(violations::add);
			}
		}
		assertThat(files).as("main sources scanned").isGreaterThan(40);
		assertThat(violations).isEmpty();
		// an exception whose code is gone must go too
		for (String found : KNOWN_SAFE.keySet()) {
			String file = found.substring(0, found.indexOf(": "));
			assertThat(violations(Files.readString(Path.of(file)))).contains(found.substring(file.length() + 2));
		}
	}

	@Test
	void shouldCatchEveryWayOfBuildingSqlAndNothingElse() {
		assertThat(violations("jdbc.sql(\"SELECT stock FROM inventory WHERE product_id = \" + id);")).hasSize(1);
		assertThat(violations("String sql = \" WHERE id = \" + id;")).hasSize(1);
		assertThat(violations("String sql = table + \" SET stock = 0\";")).hasSize(1);
		assertThat(violations("String sql = \"\"\"\n\tDELETE FROM %s\n\t\"\"\".formatted(table);")).hasSize(1);
		assertThat(violations("String sql = String.format(\"UPDATE %s SET stock = 0\", table);")).hasSize(1);
		assertThat(violations("String sql = \"\"\"\n\tSELECT 1 FROM orders\n\t\"\"\" + filter;")).hasSize(1);
		assertThat(violations("String sql = \"\"\"\n\tSELECT 1 FROM {t}\n\t\"\"\".replace(\"{t}\", table);"))
			.hasSize(1);
		assertThat(violations("String sql = \"SELECT 1 FROM $t\".replaceAll(\"\\\\$t\", table);")).hasSize(1);

		assertThat(violations("jdbc.sql(\"SELECT stock FROM inventory WHERE product_id = :id\").param(\"id\", id);"))
			.isEmpty();
		assertThat(violations("throw new IllegalStateException(\"Could not start \" + command);")).isEmpty();
		assertThat(violations("return \"%d orders\".formatted(count);")).isEmpty();
		assertThat(violations("String sql = \"\"\"\n\tSELECT 1 FROM orders WHERE id = :id\n\t\"\"\";")).isEmpty();
		assertThat(violations("jdbc.sql(shop.sql(\"\"\"\n\tSELECT ${orders.id} FROM ${orders}\n\t\"\"\"));")).isEmpty();
	}

	/** The SQL literals of a source that are built rather than bound. */
	static List<String> violations(String source) {
		List<String> found = new ArrayList<>();
		StringBuilder withoutBlocks = new StringBuilder();
		Matcher block = TEXT_BLOCK.matcher(source);
		int last = 0;
		while (block.find()) {
			if (SQL.matcher(block.group(1)).find() && built(source, block.start(), block.end())) {
				found.add(firstLine(block.group(1)));
			}
			withoutBlocks.append(source, last, block.start()).append("\"\"");
			last = block.end();
		}
		withoutBlocks.append(source.substring(last));
		String rest = withoutBlocks.toString();
		Matcher literal = LITERAL.matcher(rest);
		while (literal.find()) {
			if (SQL.matcher(literal.group(1)).find() && built(rest, literal.start(), literal.end())) {
				found.add(literal.group(1));
			}
		}
		return found;
	}

	private static boolean built(String source, int start, int end) {
		String before = source.substring(Math.max(0, start - 40), start);
		String after = source.substring(end, Math.min(source.length(), end + 40));
		return BUILT_AFTER.matcher(after).find() || BUILT_BEFORE.matcher(before).find();
	}

	private static String firstLine(String text) {
		return text.strip().lines().findFirst().orElse("");
	}

}
