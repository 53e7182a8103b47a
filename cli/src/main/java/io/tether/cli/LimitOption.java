package io.tether.cli;

import picocli.CommandLine.Option;

/**
 * {@code --limit} of the list commands; the server caps it at 1000.
 */
final class LimitOption {

	@Option(names = "--limit", paramLabel = "N", defaultValue = "100",
			description = "at most this many (1 to 1000, default ${DEFAULT-VALUE})")
	int value;

}
