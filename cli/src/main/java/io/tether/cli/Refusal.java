package io.tether.cli;

import java.util.Optional;

import io.tether.api.Problem;
import io.tether.api.ProblemType;
import tools.jackson.core.JacksonException;

/**
 * A non-2xx answer as the exit code of its class and a one-line message that says what to
 * do next. The class comes from the HTTP status; the hint for a refusal from the
 * problem's {@link ProblemType}, never from its {@code detail}.
 */
final class Refusal {

	private static final String PROBLEM_PREFIX = "urn:tether:problem:";

	private Refusal() {
	}

	/**
	 * @param status the HTTP status
	 * @param body the answer's body, a problem document or anything else
	 * @param command the command being run ({@code tether entry delete}), for hints
	 * @param config the configuration in use, named in hints
	 */
	static CliException of(int status, String body, String command, CliConfig config) {
		Problem problem = problem(body);
		String detail = "HTTP " + status;
		String slug = "";
		Optional<ProblemType> type = Optional.empty();
		if (problem != null) {
			detail = (problem.detail() != null) ? problem.detail()
					: (problem.title() != null) ? problem.title() : detail;
			slug = (problem.type() != null) ? problem.type().replace(PROBLEM_PREFIX, "") : "";
			type = problem.problemType();
		}
		String[] words = command.split(" ");
		String noun = (words.length > 1) ? words[1] : "";
		return switch (status) {
			case 400 -> new CliException(ExitCode.USAGE, detail + "; see '" + command + " --help'");
			case 401, 403 -> new CliException(ExitCode.REFUSED, detail + " (" + slug + ")" + hint(type, config));
			case 404 -> new CliException(ExitCode.NOT_FOUND, detail + whatExists(noun));
			case 409 -> new CliException(ExitCode.FAILED, detail);
			default -> new CliException(ExitCode.FAILED,
					"The server answered " + status + ": " + detail + "; see the server log");
		};
	}

	/**
	 * The body as a problem document, or {@code null} when it is not one (a proxy's HTML
	 * page): the status says enough then.
	 */
	private static Problem problem(String body) {
		try {
			return ApiClient.JSON.readValue(body, Problem.class);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Where to see what exists: the noun's list command, where it has one.
	 */
	private static String whatExists(String noun) {
		return switch (noun) {
			// an authority's CRL is gone when it retired between two requests
			case "crl" -> "; 'tether ca show' shows the authorities and their states";
			case "inspect" -> "";
			default -> "; 'tether " + noun + " list' shows what exists";
		};
	}

	private static String hint(Optional<ProblemType> type, CliConfig config) {
		String credentials = "; use the admin credentials the server wrote to <data-dir>/admin/ (" + config.source()
				+ ")";
		if (type.isEmpty()) {
			// not one of Tether's refusals (no body, or something in front of the
			// server): the credentials are what this CLI controls
			return credentials;
		}
		return switch (type.get()) {
			case NOT_REVOCABLE -> "; the server replaces its own certificates itself";
			case CERTIFICATE_REVOKED ->
				"; the client certificate in " + config.source() + " was revoked: use fresh admin credentials";
			// the server names its CA in the handshake; a certificate of another CA is
			// not even sent
			case CLIENT_CERTIFICATE_REQUIRED -> "; is " + config.certificate()
					+ " issued by this Tether CA? Use the admin credentials the server wrote to <data-dir>/admin/";
			case NOT_ADMIN, NOT_AGENT -> credentials;
			case FORBIDDEN_ROLE -> "; your operator role does not allow this: ask an admin ('tether operator list')";
			case OPERATOR_REVOKED ->
				"; this operator was revoked (or the bootstrap admin retired): an admin creates a new operator for you";
			case INVALID_ENROLLMENT_TOKEN -> "; ask an admin for a new token ('tether operator token NAME')";
			// trust-domain-mismatch, ttl-out-of-range, key-type-not-allowed,
			// san-not-allowed, entry-not-assigned, and whatever 403 comes next
			default -> "; the server's issuance policy refuses this request";
		};
	}

}
