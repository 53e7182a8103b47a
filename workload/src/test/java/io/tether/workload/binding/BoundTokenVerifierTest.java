package io.tether.workload.binding;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;

import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BoundTokenVerifierTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private final TestPki pki = TestPki.root().intermediate();

	private final TestPki.Issued client = this.pki.leaf("spiffe://example.org/ns/web");

	private final TestPki.Issued other = this.pki.leaf("spiffe://example.org/ns/other");

	private final TestTokens tokens = new TestTokens("k1");

	private final BoundTokenVerifier verifier = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
		.issuer(TestTokens.ISSUER)
		.audience("orders")
		.clock(Clock.fixed(NOW, ZoneOffset.UTC))
		.build();

	private String bound() {
		return this.tokens.boundTo(NOW, this.client.certificate());
	}

	@Test
	void tokenBoundToThePresentedCertificateIsAccepted() throws Exception {
		VerifiedToken token = this.verifier.verify(bound(), this.client.certificate());
		assertThat(token.subject()).isEqualTo("spiffe://example.org/ns/web");
		assertThat(token.clientId()).isEqualTo("spiffe://example.org/ns/web");
		assertThat(token.scopes()).containsExactlyInAnyOrder("orders.read", "orders.write");
		assertThat(token.audience()).containsExactly("orders");
		assertThat(token.x5tS256()).isEqualTo(Thumbprints.x5tS256(this.client.certificate()));
		assertThat(token.expiresAt()).isEqualTo(NOW.plusSeconds(300));
	}

	@Test
	void tokenPresentedWithAnotherValidCertificateIsRefused() {
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(bound(), this.other.certificate()))
			.withMessage("The access token is bound to another certificate than the one this connection presented");
	}

	@Test
	void tokenPresentedWithoutAnyCertificateIsRefused() {
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.verifier.verify(bound(), null))
			.withMessage("The access token is bound to a certificate, but the connection presented none");
	}

	@Test
	void tokenWithoutCnfIsRefusedByDefault() throws Exception {
		String unbound = this.tokens.sign(this.tokens.claims(NOW, null).build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(unbound, this.client.certificate()))
			.withMessage("The access token is not bound to a certificate (no cnf.x5t#S256)");
		BoundTokenVerifier lenient = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.allowUnboundTokens(true)
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.build();
		assertThat(lenient.verify(unbound, null).x5tS256()).isNull();
	}

	@Test
	void tokenWhoseCnfWasAlteredFailsTheSignature() {
		String[] parts = bound().split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String altered = payload.replace(Thumbprints.x5tS256(this.client.certificate()),
				Thumbprints.x5tS256(this.other.certificate()));
		assertThat(altered).isNotEqualTo(payload);
		String forged = parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(altered.getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(forged, this.other.certificate()))
			.withMessageStartingWith("The access token's signature does not verify");
	}

	@Test
	void tokenSignedByAnotherKeyIsRefused() {
		TestTokens stranger = new TestTokens("k1");
		String token = stranger.sign(stranger.claims(NOW, Thumbprints.x5tS256(this.client.certificate())).build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(token, this.client.certificate()))
			.withMessageStartingWith("The access token's signature does not verify");
	}

	@Test
	void unsignedTokenIsRefused() {
		String header = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
		String payload = bound().split("\\.")[1];
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(header + "." + payload + ".", this.client.certificate()));
	}

	@Test
	void expiredTokenIsRefusedAfterTheSkew() throws Exception {
		String token = this.tokens
			.sign(this.tokens.claims(NOW.minusSeconds(300), Thumbprints.x5tS256(this.client.certificate()))
				.expirationTime(java.util.Date.from(NOW.minusSeconds(10)))
				.build());
		assertThat(this.verifier.verify(token, this.client.certificate())).isNotNull();
		BoundTokenVerifier strict = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.clockSkew(Duration.ZERO)
			.clock(Clock.fixed(NOW, ZoneOffset.UTC))
			.build();
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> strict.verify(token, this.client.certificate()))
			.withMessageStartingWith("The access token expired at");
	}

	@Test
	void tokenForAnotherAudienceOrIssuerIsRefused() {
		String x5t = Thumbprints.x5tS256(this.client.certificate());
		String elsewhere = this.tokens.sign(this.tokens.claims(NOW, x5t).audience("billing").build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(elsewhere, this.client.certificate()))
			.withMessage("The access token is not for this audience ('orders')");
		String foreign = this.tokens.sign(this.tokens.claims(NOW, x5t).issuer("https://evil.test").build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(foreign, this.client.certificate()))
			.withMessageContaining("issued by 'https://evil.test'");
	}

	@Test
	void cnfWithoutThumbprintIsRefused() {
		String token = this.tokens.sign(this.tokens.claims(NOW, null).claim("cnf", Map.of("x5t", "abc")).build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(token, this.client.certificate()))
			.withMessage("The access token's cnf claim has no x5t#S256 string");
	}

	@Test
	void garbageIsNotAJwt() {
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify("not-a-token", this.client.certificate()))
			.withMessage("The access token is not a JWT");
	}

}
