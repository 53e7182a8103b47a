package io.tether.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Columns aligned for people: a header line, then one line per row, two spaces between
 * columns, the last column not padded.
 */
final class Table {

	private final List<String> headers;

	private final List<List<String>> rows = new ArrayList<>();

	Table(String... headers) {
		this.headers = List.of(headers);
	}

	Table row(Object... cells) {
		if (cells.length != this.headers.size()) {
			throw new IllegalArgumentException(
					"a row of " + cells.length + " cells for " + this.headers.size() + " columns");
		}
		this.rows.add(Arrays.stream(cells).map((cell) -> (cell != null) ? cell.toString() : "").toList());
		return this;
	}

	void print(PrintWriter out) {
		int[] widths = new int[this.headers.size()];
		for (int column = 0; column < widths.length; column++) {
			widths[column] = this.headers.get(column).length();
			for (List<String> row : this.rows) {
				widths[column] = Math.max(widths[column], row.get(column).length());
			}
		}
		line(out, this.headers, widths);
		this.rows.forEach((row) -> line(out, row, widths));
		out.flush();
	}

	private static void line(PrintWriter out, List<String> cells, int[] widths) {
		StringBuilder line = new StringBuilder();
		for (int column = 0; column < cells.size(); column++) {
			line.append(cells.get(column));
			if (column < cells.size() - 1) {
				line.append(" ".repeat(widths[column] - cells.get(column).length() + 2));
			}
		}
		out.println(line.toString().stripTrailing());
	}

}
