package io.tether.workload.binding;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.tether.pki.testing.ManualClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class DpopProofVerifierTest {

	// RFC 9449 figure 3 (§4.2): the proof of a token request, its key, and figure 9
	// (§6.1): that key's thumbprint
	private static final String RFC_TOKEN_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
			+ ".eyJqdGkiOiItQndDM0VTYzZhY2MybFRjIiwiaHRtIjoiUE9TVCIsImh0dSI6Imh0dHBzOi8vc2VydmVyLmV4YW1wbGUuY29tL3Rva2VuIiwiaWF0IjoxNTYyMjYyNjE2fQ"
			+ ".2-GxA6T8lP4vfrg8v-FdWP0A0zdrj8igiMLvqRMUvwnQg4PtFLbdLXiOSsX0x7NVY-FNyJK70nfbV37xRZT3Lg";

	private static final String RFC_JWK = "{\"kty\":\"EC\",\"x\":\"l8tFrhx-34tV3hRICRDY9zCkDlpBhF42UQUfWVAWBFs\","
			+ "\"y\":\"9VE4jf_Ok_o64zbTTlcuNJajHmt6v9TDVrU0CdvGRDA\",\"crv\":\"P-256\"}";

	private static final String RFC_JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	// RFC 9449 figure 12 (§7.1): a protected resource request, its access token and ath
	private static final String RFC_RESOURCE_PROOF = "eyJ0eXAiOiJkcG9wK2p3dCIsImFsZyI6IkVTMjU2IiwiandrIjp7Imt0eSI6IkVDIiwieCI6Imw4dEZyaHgtMzR0VjNoUklDUkRZOXpDa0RscEJoRjQyVVFVZldWQVdCRnMiLCJ5IjoiOVZFNGpmX09rX282NHpiVFRsY3VOSmFqSG10NnY5VERWclUwQ2R2R1JEQSIsImNydiI6IlAtMjU2In19"
			+ ".eyJqdGkiOiJlMWozVl9iS2ljOC1MQUVCIiwiaHRtIjoiR0VUIiwiaHR1IjoiaHR0cHM6Ly9yZXNvdXJjZS5leGFtcGxlLm9yZy9wcm90ZWN0ZWRyZXNvdXJjZSIsImlhdCI6MTU2MjI2MjYxOCwiYXRoIjoiZlVIeU8ycjJaM0RaNTNFc05yV0JiMHhXWG9hTnk1OUlpS0NBcWtzbVFFbyJ9"
			+ ".2oW9RP35yRqzhrtNP86L-Ey71EOptxRimPPToA1plemAgR6pxHF8y6-yqyVnmcw6Fy1dqd-jfxSYoMxhAJpLjA";

	private static final String RFC_ACCESS_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU";

	private static final String RFC_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo";

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private static final String URI = "https://orders.test/orders";

	private final TestProofs proofs = new TestProofs();

	private final ManualClock clock = new ManualClock(NOW);

	private final DpopProofVerifier verifier = DpopProofVerifier
		.withReplayStore(new InMemoryDpopReplayStore(1000, this.clock))
		.clock(this.clock)
		.build();

	private static DpopProofVerifier at(long epochSecond) {
		Clock fixed = Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
		return DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(10, fixed)).clock(fixed).build();
	}

	@Test
	void rfcTokenRequestProofVerifiesAndItsKeyHasTheRfcThumbprint() throws Exception {
		assertThat(JWK.parse(RFC_JWK).computeThumbprint("SHA-256").toString()).isEqualTo(RFC_JKT);
		assertThat(at(1562262616).verify(RFC_TOKEN_PROOF, "POST", "https://server.example.com/token", null, RFC_JKT))
			.isEqualTo(RFC_JKT);
	}

	@Test
	void rfcResourceRequestProofVerifiesWithTheRfcAccessTokenHash() throws Exception {
		assertThat(DpopProofVerifier.ath(RFC_ACCESS_TOKEN)).isEqualTo(RFC_ATH);
		assertThat(at(1562262618).verify(RFC_RESOURCE_PROOF, "GET", "https://resource.example.org/protectedresource",
				RFC_ACCESS_TOKEN, RFC_JKT))
			.isEqualTo(RFC_JKT);
	}

	@Test
	void rfcResourceProofWithAnotherAccessTokenIsRefused() {
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> at(1562262618).verify(RFC_RESOURCE_PROOF, "GET",
					"https://resource.example.org/protectedresource", "another-token", RFC_JKT))
			.withMessage("The DPoP proof's ath is not the hash of this access token")
			.extracting(InvalidTokenException::error)
			.isEqualTo("invalid_dpop_proof");
	}

	@Test
	void freshProofOfTheBoundKeyIsAccepted() throws Exception {
		String proof = this.proofs.proof("GET", URI, NOW, "token");
		assertThat(this.verifier.verify(proof, "GET", URI, "token", this.proofs.thumbprint()))
			.isEqualTo(this.proofs.thumbprint());
	}

	@Test
	void wrongMethodIsRefused() {
		refused(this.proofs.proof("POST", URI, NOW, "token"), "GET", URI,
				"The DPoP proof's htm is not this request's method (GET)");
	}

	@Test
	void wrongUriIsRefused() {
		refused(this.proofs.proof("GET", "https://orders.test/admin", NOW, "token"), "GET", URI,
				"The DPoP proof's htu is not this request's URI (https://orders.test/orders)");
		refused(this.proofs.proof("GET", "https://evil.test/orders", NOW, "token"), "GET", URI,
				"The DPoP proof's htu is not this request's URI (https://orders.test/orders)");
	}

	@Test
	void uriIsComparedNormalisedWithoutQueryOrFragment() throws Exception {
		String proof = this.proofs.proof("GET", "HTTPS://Orders.TEST:443/%6Frders", NOW, "token");
		assertThat(this.verifier.verify(proof, "GET", "https://orders.test/orders?page=2", "token", null)).isNotNull();
	}

	@Test
	void normalisationFollowsRfc3986() {
		assertThat(DpopProofVerifier.normalizeUri("HTTP://Example.COM:80")).isEqualTo("http://example.com/");
		assertThat(DpopProofVerifier.normalizeUri("https://example.com:8443/a/./b/../c?q#f"))
			.isEqualTo("https://example.com:8443/a/c");
		assertThat(DpopProofVerifier.normalizeUri("https://example.com/%7euser/%2f"))
			.isEqualTo("https://example.com/~user/%2F");
		assertThat(DpopProofVerifier.normalizeUri("https://example.com:443/A")).isNotEqualTo("https://example.com/a");
		assertThatIllegalArgumentException().isThrownBy(() -> DpopProofVerifier.normalizeUri("/relative"));
		assertThatIllegalArgumentException().isThrownBy(() -> DpopProofVerifier.normalizeUri("ftp://example.com/"));
	}

	@Test
	void staleOrFutureIatIsRefused() {
		refused(this.proofs.proof("GET", URI, NOW.minusSeconds(61), "token"), "GET", URI,
				"The DPoP proof's iat (2026-11-25T08:58:59Z) is outside the accepted window (60 s before to 5 s after 2026-11-25T09:00:00Z)");
		refused(this.proofs.proof("GET", URI, NOW.plusSeconds(6), "token"), "GET", URI,
				"The DPoP proof's iat (2026-11-25T09:00:06Z) is outside the accepted window (60 s before to 5 s after 2026-11-25T09:00:00Z)");
	}

	@Test
	void replayedProofIsRefusedUntilItWouldBeStaleAnyway() throws Exception {
		String proof = this.proofs.proof("GET", URI, NOW, "token");
		this.verifier.verify(proof, "GET", URI, "token", null);
		refused(proof, "GET", URI, "The DPoP proof was used before (its jti was seen)");
		this.clock.advance(Duration.ofSeconds(61));
		refused(proof, "GET", URI,
				"The DPoP proof's iat (2026-11-25T09:00:00Z) is outside the accepted window (60 s before to 5 s after 2026-11-25T09:01:01Z)");
	}

	@Test
	void wrongAthIsRefused() {
		refused(this.proofs.proof("GET", URI, NOW, "another-token"), "GET", URI,
				"The DPoP proof's ath is not the hash of this access token");
		Map<String, Object> claims = this.proofs.claims("GET", URI, NOW, null);
		refused(this.proofs.sign(this.proofs.header(), claims), "GET", URI,
				"The DPoP proof's ath is not the hash of this access token");
	}

	@Test
	void unsignedProofIsRefused() {
		Map<String, Object> header = this.proofs.header();
		header.put("alg", "none");
		refused(TestProofs.unsigned(header, this.proofs.claims("GET", URI, NOW, "token")), "GET", URI,
				"The DPoP proof is not signed (alg none)");
	}

	@Test
	void hmacProofIsRefused() throws Exception {
		Map<String, Object> header = this.proofs.header();
		header.put("alg", "HS256");
		String proof = TestProofs.sign(header, this.proofs.claims("GET", URI, NOW, "token"),
				new MACSigner(new byte[32]), JWSAlgorithm.HS256);
		refused(proof, "GET", URI, "The DPoP proof uses a symmetric algorithm (HS256); DPoP needs an asymmetric one");
	}

	@Test
	void privateKeyInJwkIsRefused() {
		Map<String, Object> header = this.proofs.header();
		header.put("jwk", this.proofs.key.toJSONObject());
		refused(this.proofs.sign(header, this.proofs.claims("GET", URI, NOW, "token")), "GET", URI,
				"The DPoP proof's jwk holds private key material ('d'); it must be a public key");
	}

	@Test
	void wrongTypIsRefused() {
		Map<String, Object> header = this.proofs.header();
		header.put("typ", "JWT");
		refused(this.proofs.sign(header, this.proofs.claims("GET", URI, NOW, "token")), "GET", URI,
				"The DPoP proof's typ is not dpop+jwt");
	}

	@Test
	void proofSignedByAnotherKeyThanItsJwkIsRefused() throws Exception {
		ECKey other = new ECKeyGenerator(Curve.P_256).generate();
		Map<String, Object> header = this.proofs.header();
		header.put("jwk", other.toPublicJWK().toJSONObject());
		refused(this.proofs.sign(header, this.proofs.claims("GET", URI, NOW, "token")), "GET", URI,
				"The DPoP proof's signature does not verify with its jwk");
	}

	@Test
	void proofOfAnotherKeyThanTheTokensIsRefused() {
		String proof = this.proofs.proof("GET", URI, NOW, "token");
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> this.verifier.verify(proof, "GET", URI, "token", new TestProofs().thumbprint()))
			.withMessage("The DPoP proof is signed by another key than the one the access token is bound to (cnf.jkt)");
	}

	@Test
	void refusedProofDoesNotUseUpItsJti() throws Exception {
		Map<String, Object> claims = this.proofs.claims("GET", URI, NOW, "token");
		String wrongMethod = this.proofs.sign(this.proofs.header(), claims);
		refused(wrongMethod, "POST", URI, "The DPoP proof's htm is not this request's method (POST)");
		assertThat(this.verifier.verify(wrongMethod, "GET", URI, "token", null)).isNotNull();
	}

	@Test
	void missingProofIsRefused() {
		refused(null, "GET", URI, "The request has no DPoP proof (DPoP header)");
		refused("garbage", "GET", URI, "The DPoP proof is not a JWT");
	}

	@Test
	void nonceIsRequiredWhenConfiguredAndRotates() throws Exception {
		DpopNonces nonces = new DpopNonces(new byte[32], Duration.ofMinutes(5), this.clock);
		DpopProofVerifier strict = DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(10, this.clock))
			.nonces(nonces)
			.clock(this.clock)
			.build();
		InvalidDpopProofException refusal = org.junit.jupiter.api.Assertions.assertThrows(
				InvalidDpopProofException.class,
				() -> strict.verify(this.proofs.proof("GET", URI, NOW, "token"), "GET", URI, "token", null));
		assertThat(refusal.error()).isEqualTo("use_dpop_nonce");
		assertThat(refusal.nonce()).isEqualTo(nonces.current()).isEqualTo(strict.currentNonce());
		Map<String, Object> claims = this.proofs.claims("GET", URI, NOW, "token");
		claims.put("nonce", refusal.nonce());
		assertThat(strict.verify(this.proofs.sign(this.proofs.header(), claims), "GET", URI, "token", null))
			.isNotNull();
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(nonces.current()).isNotEqualTo(refusal.nonce());
		Map<String, Object> late = this.proofs.claims("GET", URI, this.clock.instant(), "token");
		late.put("nonce", refusal.nonce());
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> strict.verify(this.proofs.sign(this.proofs.header(), late), "GET", URI, "token", null))
			.extracting(InvalidTokenException::error)
			.isEqualTo("use_dpop_nonce");
		assertThat(new DpopNonces(new byte[32], Duration.ofMinutes(5), this.clock).isValid(nonces.current())).isTrue();
		assertThat(DpopNonces.random(Duration.ofMinutes(5), this.clock).isValid(nonces.current())).isFalse();
	}

	@Test
	void storeThatCannotAnswerRefusesTheProof() {
		DpopProofVerifier broken = DpopProofVerifier.withReplayStore((jti, expiresAt) -> {
			throw new IllegalStateException("database down");
		}).clock(this.clock).build();
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> broken.verify(this.proofs.proof("GET", URI, NOW, "token"), "GET", URI, "token", null))
			.withMessage("The DPoP proof cannot be checked for replay: database down");
	}

	private void refused(String proof, String method, String uri, String message) {
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> this.verifier.verify(proof, method, uri, "token", null))
			.withMessage(message)
			.extracting(InvalidTokenException::error)
			.isEqualTo("invalid_dpop_proof");
	}

}
