package io.tether.bench;

import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;
import io.tether.workload.binding.BoundTokenVerifier;
import io.tether.workload.binding.DpopProofSigner;
import io.tether.workload.binding.DpopProofVerifier;
import io.tether.workload.binding.InMemoryDpopReplayStore;
import io.tether.workload.binding.JdbcDpopReplayStore;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The resource server's cost per request, for bench/token-binding.sh: verifying an
 * unbound JWT (the floor: ES256 signature, times, iss, aud), the same with the mTLS
 * binding (cnf.x5t#S256 against the connection's certificate), and with DPoP (the proof's
 * checks and its ECDSA signature; the replay store measured apart, in memory and in H2).
 * Every DPoP call gets a proof it has not seen, made in advance.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenBinding {

	private static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z");

	private static final String URI_TEXT = "https://orders.test/orders";

	private static final int PROOFS = 1 << 17;

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	private BoundTokenVerifier unboundVerifier;

	private BoundTokenVerifier verifier;

	private String unbound;

	private String mtls;

	private X509Certificate certificate;

	private String dpop;

	private String[] proofs;

	private final AtomicLong next = new AtomicLong();

	private InMemoryDpopReplayStore memory;

	private JdbcDpopReplayStore h2;

	@Setup
	public void setUp() throws Exception {
		ECKey authz = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
		ImmutableJWKSet<com.nimbusds.jose.proc.SecurityContext> keys = new ImmutableJWKSet<>(
				new JWKSet(authz.toPublicJWK()));
		this.certificate = TestPki.root().intermediate().leaf("spiffe://example.org/ns/web").certificate();
		DpopProofSigner client = DpopProofSigner.generate(this.clock);
		this.unbound = sign(authz, claims().build());
		this.mtls = sign(authz, claims().claim("cnf", Map.of("x5t#S256", Thumbprints.x5tS256(this.certificate))).build());
		this.dpop = sign(authz, claims().claim("cnf", Map.of("jkt", client.thumbprint())).build());
		this.unboundVerifier = BoundTokenVerifier.fromKeys(keys)
			.issuer("https://authz.test")
			.audience("orders")
			.allowUnboundTokens(true)
			.clock(this.clock)
			.build();
		// the replay store is measured on its own below: here every jti is new anyway
		this.verifier = BoundTokenVerifier.fromKeys(keys)
			.issuer("https://authz.test")
			.audience("orders")
			.clock(this.clock)
			.dpop(DpopProofVerifier.withReplayStore((jti, expiresAt) -> true).clock(this.clock).build())
			.build();
		this.proofs = new String[PROOFS];
		for (int i = 0; i < PROOFS; i++) {
			this.proofs[i] = client.proof("GET", URI.create(URI_TEXT), this.dpop, null);
		}
		this.memory = new InMemoryDpopReplayStore(Integer.MAX_VALUE, this.clock);
		JdbcDataSource database = new JdbcDataSource();
		database.setURL("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
		this.h2 = new JdbcDpopReplayStore(database, this.clock);
		this.h2.createTableIfMissing();
	}

	private static JWTClaimsSet.Builder claims() {
		return new JWTClaimsSet.Builder().issuer("https://authz.test")
			.subject("spiffe://example.org/ns/web")
			.audience("orders")
			.claim("scope", "orders.read")
			.issueTime(Date.from(NOW))
			.expirationTime(Date.from(NOW.plusSeconds(300)));
	}

	private static String sign(ECKey key, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	@Benchmark
	public Object jwtUnbound() throws Exception {
		return this.unboundVerifier.verify(this.unbound, null);
	}

	@Benchmark
	public Object jwtWithMtlsBinding() throws Exception {
		return this.verifier.verify(this.mtls, this.certificate);
	}

	@Benchmark
	public Object jwtWithDpopBinding() throws Exception {
		String proof = this.proofs[(int) (this.next.getAndIncrement() % PROOFS)];
		return this.verifier.verifyDpop(this.dpop, proof, "GET", URI_TEXT, null);
	}

	@Benchmark
	public boolean replayStoreInMemory() {
		return this.memory.firstUse(Long.toString(this.next.getAndIncrement()), NOW.plusSeconds(60));
	}

	@Benchmark
	public boolean replayStoreH2() {
		return this.h2.firstUse(Long.toString(this.next.getAndIncrement()), NOW.plusSeconds(60));
	}

}
