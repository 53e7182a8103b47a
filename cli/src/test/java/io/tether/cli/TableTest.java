package io.tether.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TableTest {

	@Test
	void columnsAreAlignedAndLastColumnIsNotPadded() {
		StringWriter text = new StringWriter();
		new Table("NAME", "STATUS", "NOTE").row("host-1", "active", "x")
			.row("h2", null, "")
			.print(new PrintWriter(text));
		assertThat(text.toString().lines()).containsExactly("NAME    STATUS  NOTE", "host-1  active  x", "h2");
	}

	@Test
	void rowWithWrongNumberOfCellsIsRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Table("A", "B").row("only one"))
			.withMessage("a row of 1 cells for 2 columns");
	}

}
