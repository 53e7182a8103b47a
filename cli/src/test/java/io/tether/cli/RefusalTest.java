package io.tether.cli;

import java.net.URI;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalTest {

	private static final CliConfig CONFIG = new CliConfig(Path.of("data/admin/config.yaml"),
			URI.create("https://localhost:8443"), Path.of("data/admin/ca-bundle.pem"),
			Path.of("data/admin/admin-cert.pem"), Path.of("data/admin/admin-key.pem"));

	@Test
	void policyRefusalIsExitFourWithTheTypeAndThePolicyHint() {
		CliException refusal = refusal(403, "ttl-out-of-range", "TTL PT48H is outside the allowed range PT1M to PT24H",
				"tether entry create");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.REFUSED);
		assertThat(refusal).hasMessage("TTL PT48H is outside the allowed range PT1M to PT24H (ttl-out-of-range); "
				+ "the server's issuance policy refuses this request");
		assertThat(refusal(403, "trust-domain-mismatch", "other", "tether entry create"))
			.hasMessageEndingWith("(trust-domain-mismatch); the server's issuance policy refuses this request");
	}

	@Test
	void notAdminPointsToTheAdminCredentials() {
		CliException refusal = refusal(403, "not-admin", "Admin certificate required", "tether entry list");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.REFUSED);
		assertThat(refusal).hasMessage("Admin certificate required (not-admin); use the admin credentials the server "
				+ "wrote to <data-dir>/admin/ (data/admin/config.yaml)");
	}

	@Test
	void roleAndOperatorRefusalsSayWhomToAsk() {
		CliException forbidden = refusal(403, "forbidden-role", "Operator 'bob' has role auditor",
				"tether operator add");
		assertThat(forbidden.exitCode()).isEqualTo(ExitCode.REFUSED);
		assertThat(forbidden).hasMessage("Operator 'bob' has role auditor (forbidden-role); your operator role does "
				+ "not allow this: ask an admin ('tether operator list')");
		assertThat(refusal(403, "operator-revoked", "Operator 'bob' was revoked", "tether status"))
			.hasMessageEndingWith("(operator-revoked); this operator was revoked (or the bootstrap admin retired): "
					+ "an admin creates a new operator for you");
		assertThat(refusal(401, "invalid-enrollment-token", "used", "tether login")).hasMessageEndingWith(
				"(invalid-enrollment-token); ask an admin for a new token ('tether operator token NAME')");
	}

	@Test
	void clientCertificateRequiredAsksWhetherTheCertificateIsOfThisCa() {
		CliException refusal = refusal(401, "client-certificate-required", "No client certificate", "tether status");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.REFUSED);
		assertThat(refusal).hasMessageContaining(
				"(client-certificate-required); is data/admin/admin-cert.pem issued " + "by this Tether CA?");
	}

	@Test
	void revokedAdminCertificateAsksForFreshCredentials() {
		assertThat(refusal(403, "certificate-revoked", "Client certificate revoked", "tether status"))
			.hasMessageEndingWith(
					"the client certificate in data/admin/config.yaml was revoked: use fresh admin " + "credentials");
	}

	@Test
	void notRevocableSaysTheServerReplacesItsOwnCertificates() {
		assertThat(refusal(403, "not-revocable", "Not revocable", "tether cert revoke"))
			.hasMessage("Not revocable (not-revocable); the server replaces its own certificates itself");
	}

	@Test
	void refusalThatIsNotAProblemDocumentPointsToTheCredentials() {
		CliException refusal = Refusal.of(403, "<html>Forbidden</html>", "tether status", CONFIG);
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.REFUSED);
		assertThat(refusal).hasMessageStartingWith("HTTP 403 (); use the admin credentials");
	}

	@Test
	void badRequestIsUsageErrorPointingToHelp() {
		CliException refusal = refusal(400, "invalid-ttl", "TTL 'soon' cannot be parsed", "tether entry create");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.USAGE);
		assertThat(refusal).hasMessage("TTL 'soon' cannot be parsed; see 'tether entry create --help'");
	}

	@Test
	void notFoundIsExitThreePointingToTheList() {
		CliException refusal = refusal(404, "not-found", "No agent named 'nobody'", "tether agent show");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
		assertThat(refusal).hasMessage("No agent named 'nobody'; 'tether agent list' shows what exists");
	}

	@Test
	void notFoundOfACrlPointsToTheAuthoritiesNotToAListCommandThatDoesNotExist() {
		CliException refusal = refusal(404, "not-found", "No CA with key id ab01 publishes a CRL here",
				"tether crl show");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
		assertThat(refusal).hasMessage(
				"No CA with key id ab01 publishes a CRL here; 'tether ca show' shows the authorities and their states");
	}

	@Test
	void conflictIsAFailureWithTheDetail() {
		CliException refusal = refusal(409, "conflict", "Agent 'host-1' is already evicted", "tether agent evict");
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(refusal).hasMessage("Agent 'host-1' is already evicted");
	}

	@Test
	void serverErrorWithoutAProblemDocumentNamesTheStatus() {
		CliException refusal = Refusal.of(502, "Bad gateway", "tether status", CONFIG);
		assertThat(refusal.exitCode()).isEqualTo(ExitCode.FAILED);
		assertThat(refusal).hasMessage("The server answered 502: HTTP 502; see the server log");
	}

	@Test
	void problemWithoutDetailUsesItsTitleAndIgnoresUnknownMembers() {
		CliException refusal = Refusal.of(503, """
				{"type": "urn:tether:problem:unavailable", "title": "Service unavailable", "status": 503,
				 "retryAfter": 5}""", "tether status", CONFIG);
		assertThat(refusal).hasMessage("The server answered 503: Service unavailable; see the server log");
	}

	private static CliException refusal(int status, String slug, String detail, String command) {
		String body = """
				{"type": "urn:tether:problem:%s", "title": "title", "status": %d, "detail": "%s", "instance": "/v1/x"}"""
			.formatted(slug, status, detail);
		return Refusal.of(status, body, command, CONFIG);
	}

}
