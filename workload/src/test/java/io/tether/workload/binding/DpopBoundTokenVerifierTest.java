package io.tether.workload.binding;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link BoundTokenVerifier} with DPoP-bound tokens ({@code cnf.jkt}).
 */
class DpopBoundTokenVerifierTest {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private static final String URI = "https://orders.test/orders";

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private final TestTokens tokens = new TestTokens("k1");

	private final TestProofs proofs = new TestProofs();

	private final BoundTokenVerifier verifier = verifier(new InMemoryDpopReplayStore(100, this.clock));

	private final String token = this.tokens
		.sign(this.tokens.claims(NOW, null).claim("cnf", Map.of("jkt", this.proofs.thumbprint())).build());

	private BoundTokenVerifier verifier(DpopReplayStore store) {
		return BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.issuer(TestTokens.ISSUER)
			.audience("orders")
			.clock(this.clock)
			.dpop(DpopProofVerifier.withReplayStore(store).clock(this.clock).build())
			.build();
	}

	private String proof() {
		return this.proofs.proof("GET", URI, NOW, this.token);
	}

	@Test
	void dpopBoundTokenWithAProofOfItsKeyIsAccepted() throws Exception {
		VerifiedToken verified = this.verifier.verifyDpop(this.token, proof(), "GET", URI, null);
		assertThat(verified.jkt()).isEqualTo(this.proofs.thumbprint());
		assertThat(verified.x5tS256()).isNull();
		assertThat(verified.subject()).isEqualTo("spiffe://example.org/ns/web");
	}

	@Test
	void dpopBoundTokenPresentedAsBearerIsRefused() {
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.verifier.verify(this.token, null))
			.withMessage("The access token is bound to a DPoP key (cnf.jkt): present it with Authorization: DPoP "
					+ "and a DPoP proof, not as a bearer token")
			.extracting(InvalidTokenException::error)
			.isEqualTo("invalid_token");
	}

	@Test
	void dpopBoundTokenWithoutProofIsRefused() {
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> this.verifier.verifyDpop(this.token, null, "GET", URI, null))
			.withMessage("The request has no DPoP proof (DPoP header)");
	}

	@Test
	void proofMadeWithAnotherKeyIsRefused() {
		String stolenTokenProof = new TestProofs().proof("GET", URI, NOW, this.token);
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> this.verifier.verifyDpop(this.token, stolenTokenProof, "GET", URI, null))
			.withMessage("The DPoP proof is signed by another key than the one the access token is bound to (cnf.jkt)");
	}

	@Test
	void unboundTokenPresentedAsDpopIsRefusedEvenWhenUnboundTokensAreAllowed() {
		String unbound = this.tokens.sign(this.tokens.claims(NOW, null).build());
		BoundTokenVerifier lenient = BoundTokenVerifier.fromKeys(this.tokens.publicKeys())
			.allowUnboundTokens(true)
			.clock(this.clock)
			.dpop(DpopProofVerifier.withReplayStore(new InMemoryDpopReplayStore(10, this.clock))
				.clock(this.clock)
				.build())
			.build();
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(
					() -> lenient.verifyDpop(unbound, this.proofs.proof("GET", URI, NOW, unbound), "GET", URI, null))
			.withMessage("The access token is not bound to a DPoP key (no cnf.jkt); it cannot be presented as DPoP");
	}

	@Test
	void unboundBearerTokenIsRefusedWhereBindingIsRequired() {
		String unbound = this.tokens.sign(this.tokens.claims(NOW, null).build());
		assertThatExceptionOfType(InvalidTokenException.class).isThrownBy(() -> this.verifier.verify(unbound, null))
			.withMessage("The access token is not bound to a certificate (no cnf.x5t#S256)");
	}

	@Test
	void verifierWithoutDpopSettingsRefusesDpop() {
		BoundTokenVerifier mtlsOnly = this.tokens.verifier(NOW);
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> mtlsOnly.verifyDpop(this.token, proof(), "GET", URI, null))
			.withMessage("This resource server does not accept DPoP-bound tokens");
	}

	@Test
	void tokenBoundToKeyAndCertificateNeedsBoth() throws Exception {
		TestPki pki = TestPki.root().intermediate();
		TestPki.Issued client = pki.leaf("spiffe://example.org/ns/web");
		TestPki.Issued other = pki.leaf("spiffe://example.org/ns/other");
		String both = this.tokens.sign(this.tokens.claims(NOW, null)
			.claim("cnf",
					Map.of("jkt", this.proofs.thumbprint(), "x5t#S256", Thumbprints.x5tS256(client.certificate())))
			.build());
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verify(both, client.certificate()))
			.withMessageStartingWith("The access token is bound to a DPoP key");
		assertThatExceptionOfType(InvalidTokenException.class)
			.isThrownBy(() -> this.verifier.verifyDpop(both, this.proofs.proof("GET", URI, NOW, both), "GET", URI,
					other.certificate()))
			.withMessage("The access token is bound to another certificate than the one this connection presented");
		VerifiedToken verified = this.verifier.verifyDpop(both, this.proofs.proof("GET", URI, NOW, both), "GET", URI,
				client.certificate());
		assertThat(verified.jkt()).isEqualTo(this.proofs.thumbprint());
		assertThat(verified.x5tS256()).isEqualTo(Thumbprints.x5tS256(client.certificate()));
	}

	@Test
	void proofReplayedOnAnotherVerifierInstanceSharingTheStoreIsRefused() throws Exception {
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:dpop-replay-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		JdbcDpopReplayStore first = new JdbcDpopReplayStore(database, this.clock);
		first.createTableIfMissing();
		BoundTokenVerifier instanceA = verifier(first);
		BoundTokenVerifier instanceB = verifier(new JdbcDpopReplayStore(database, this.clock));
		String proof = proof();
		assertThat(instanceA.verifyDpop(this.token, proof, "GET", URI, null).jkt()).isNotNull();
		assertThatExceptionOfType(InvalidDpopProofException.class)
			.isThrownBy(() -> instanceB.verifyDpop(this.token, proof, "GET", URI, null))
			.withMessage("The DPoP proof was used before (its jti was seen)")
			.extracting(InvalidTokenException::error)
			.isEqualTo("invalid_dpop_proof");
		// with a store of its own, the other instance would have taken it
		assertThat(
				verifier(new InMemoryDpopReplayStore(10, this.clock)).verifyDpop(this.token, proof, "GET", URI, null))
			.isNotNull();
	}

}
