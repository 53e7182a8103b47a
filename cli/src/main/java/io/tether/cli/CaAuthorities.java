package io.tether.cli;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tether.api.AuthorityView;
import io.tether.pki.Pem;
import io.tether.pki.PkiException;

/**
 * The authorities of {@code GET /v1/ca} as an operator names them: {@code KIND:GEN} the
 * way {@code tether ca show} lists them ({@code intermediate:2}), the authority's id, or
 * its key id (the subject key identifier its CRL URL is named after).
 */
final class CaAuthorities {

	/** The states in which an authority publishes a CRL. */
	static final Set<String> PUBLISHING = Set.of("prepared", "active", "retiring");

	private static final Pattern KIND_GENERATION = Pattern.compile("([a-z]+):(.*)");

	private CaAuthorities() {
	}

	/**
	 * The authority an operator named.
	 * @throws CliException {@link ExitCode#USAGE} for {@code KIND:GEN} with a bad kind or
	 * generation, {@link ExitCode#NOT_FOUND} when no authority has that name
	 */
	static AuthorityView select(List<AuthorityView> authorities, String name) {
		String wanted = name.strip().toLowerCase(Locale.ROOT);
		Matcher kindGeneration = KIND_GENERATION.matcher(wanted);
		// a key id as openssl prints it (bb:02:...) is no KIND:GEN
		boolean keyIdForm = wanted.replace(":", "").chars().allMatch(java.util.HexFormat::isHexDigit);
		if (kindGeneration.matches() && !keyIdForm) {
			String kind = kindGeneration.group(1);
			if (!kind.equals("root") && !kind.equals("intermediate")) {
				throw new CliException(ExitCode.USAGE, "'" + name
						+ "': the kind is root or intermediate, like intermediate:2 (KIND:GEN as 'tether ca show' lists them)");
			}
			int generation = generation(name, kindGeneration.group(2));
			return authorities.stream()
				.filter((authority) -> authority.kind().equals(kind) && authority.generation() == generation)
				.findFirst()
				.orElseThrow(() -> notFound(name));
		}
		String keyId = wanted.replace(":", "");
		return authorities.stream()
			.filter((authority) -> authority.id().equalsIgnoreCase(wanted) || keyId.equals(authority.keyId()))
			.findFirst()
			.orElseThrow(() -> notFound(name));
	}

	private static int generation(String name, String text) {
		try {
			return Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			throw new CliException(ExitCode.USAGE, "'" + name + "': the generation is a number, like intermediate:2");
		}
	}

	private static CliException notFound(String name) {
		return new CliException(ExitCode.NOT_FOUND, "No authority '" + name
				+ "'; 'tether ca show' lists them: name one as KIND:GEN (intermediate:2), by its id or its key id");
	}

	/**
	 * The authority whose key identifier is the one given (a certificate's authority key
	 * identifier), if any.
	 */
	static Optional<AuthorityView> byKeyId(List<AuthorityView> authorities, String keyId) {
		return authorities.stream().filter((authority) -> keyId.equals(authority.keyId())).findFirst();
	}

	/**
	 * {@code intermediate:2}: how the CLI names an authority in its output, and what
	 * {@code --authority} takes back.
	 */
	static String label(AuthorityView authority) {
		return authority.kind() + ":" + authority.generation();
	}

	static X509Certificate certificate(AuthorityView authority) {
		if (authority.certificatePem() == null) {
			throw new CliException(ExitCode.FAILED, "The server sent no certificate for " + label(authority)
					+ "; are the CLI and the server of one release?");
		}
		try {
			return Pem.readCertificate(authority.certificatePem());
		}
		catch (PkiException ex) {
			throw new CliException(ExitCode.FAILED, "The server's certificate of " + label(authority)
					+ " cannot be read (" + ex.getMessage() + "); are the CLI and the server of one release?", ex);
		}
	}

}
