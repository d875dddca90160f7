package io.stockrecon.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The one table layout of the run summary, {@code history} and {@code report}: a header,
 * columns as wide as their widest cell, text left-aligned and numbers right-aligned, two
 * spaces apart. A row may be indented under the one before it (a partition under its
 * step) without pushing the other columns out of line.
 */
final class Table {

	private static final String GAP = "  ";

	private static final String CHILD_INDENT = "  ";

	private final List<Column> columns;

	private final List<Row> rows = new ArrayList<>();

	private Table(List<Column> columns) {
		this.columns = columns;
	}

	/** A table of these columns; a header that starts with {@code >} is right-aligned. */
	static Table of(String... headers) {
		return new Table(Arrays.stream(headers)
			.map((header) -> header.startsWith(">") ? new Column(header.substring(1), true) : new Column(header, false))
			.toList());
	}

	Table row(Object... cells) {
		this.rows.add(new Row(false, cells(cells)));
		return this;
	}

	/** A row indented under the one before it. */
	Table child(Object... cells) {
		this.rows.add(new Row(true, cells(cells)));
		return this;
	}

	void print(PrintStream out, String indent) {
		int[] widths = new int[this.columns.size()];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = this.columns.get(i).header().length();
		}
		for (Row row : this.rows) {
			for (int i = 0; i < widths.length; i++) {
				widths[i] = Math.max(widths[i], row.width(i));
			}
		}
		out.println(indent + line(widths, this.columns.stream().map(Column::header).toList(), false));
		for (Row row : this.rows) {
			out.println(indent + line(widths, row.cells(), row.child()));
		}
	}

	private String line(int[] widths, List<String> cells, boolean child) {
		StringBuilder line = new StringBuilder();
		for (int i = 0; i < widths.length; i++) {
			String cell = (i == 0 && child) ? CHILD_INDENT + cells.get(i) : cells.get(i);
			String format = this.columns.get(i).right() ? "%" + widths[i] + "s" : "%-" + widths[i] + "s";
			line.append((i > 0) ? GAP : "").append(format.formatted(cell));
		}
		return line.toString().stripTrailing();
	}

	private List<String> cells(Object... cells) {
		if (cells.length != this.columns.size()) {
			throw new IllegalArgumentException(
					"A row of %d cells for %d columns".formatted(cells.length, this.columns.size()));
		}
		return Arrays.stream(cells).map((cell) -> (cell != null) ? cell.toString() : "-").toList();
	}

	private record Column(String header, boolean right) {

	}

	private record Row(boolean child, List<String> cells) {

		int width(int column) {
			return this.cells.get(column).length() + ((column == 0 && this.child) ? CHILD_INDENT.length() : 0);
		}

	}

}
