package io.tether.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * One object as aligned {@code label  value} lines, for the {@code show} commands.
 */
final class Details {

	private final List<String[]> lines = new ArrayList<>();

	Details add(String label, Object value) {
		if (value != null && !value.toString().isEmpty()) {
			this.lines.add(new String[] { label, value.toString() });
		}
		return this;
	}

	void print(PrintWriter out) {
		int width = this.lines.stream().mapToInt((line) -> line[0].length()).max().orElse(0);
		for (String[] line : this.lines) {
			out.println(line[0] + " ".repeat(width - line[0].length() + 2) + line[1]);
		}
		out.flush();
	}

}
