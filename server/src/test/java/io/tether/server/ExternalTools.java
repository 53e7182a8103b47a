package io.tether.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.tether.pki.testing.Commands;

/**
 * The tools we did not write that judge our certificates: openssl and
 * python3-cryptography.
 */
final class ExternalTools {

	private ExternalTools() {
	}

	static Commands.Result openssl(Path workingDirectory, String... arguments) {
		return run(workingDirectory, "openssl", arguments);
	}

	/**
	 * Python with the cryptography package: {@code TETHER_PYTHON} if set, else
	 * {@code python3}.
	 */
	static Commands.Result python(Path workingDirectory, String... arguments) {
		return run(workingDirectory, System.getenv().getOrDefault("TETHER_PYTHON", "python3"), arguments);
	}

	private static Commands.Result run(Path workingDirectory, String tool, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(tool);
		command.addAll(List.of(arguments));
		return Commands.run(workingDirectory, command);
	}

}
