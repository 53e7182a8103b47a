package io.tether.agent;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.tether.api.ProblemType;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.pki.testing.TestPki;

/**
 * The server side in memory: signs real certificates (on the test's clock, backdated like
 * the real CA) and counts what it issued per SPIFFE ID; can be taken down. Its bundle
 * (roots, then valid intermediates) is tagged like the real one's and changes with the
 * rotations a test plays.
 */
final class FakeCa implements CertificateAuthority {

	static final String AGENT = "spiffe://td.example/agent/host-1";

	private final Clock clock;

	private final TestPki root;

	private volatile TestPki pki;

	private final List<X509Certificate> roots = new ArrayList<>();

	private final List<X509Certificate> intermediates = new ArrayList<>();

	/** The chain the server presents on its TLS connections. */
	volatile List<X509Certificate> servedBy;

	final AtomicInteger bundleRequests = new AtomicInteger();

	final AtomicInteger bundleNotModified = new AtomicInteger();

	private final List<Entry> entries = new ArrayList<>();

	private final Map<String, List<X509Certificate>> issued = new ConcurrentHashMap<>();

	volatile Duration workloadLifetime = Duration.ofSeconds(60);

	volatile Duration agentLifetime = Duration.ofHours(1);

	volatile boolean down;

	volatile boolean refuseEnrollment;

	volatile IdentityStore.Identity authenticatedAs;

	/** When set, re-attestation is refused with this problem. */
	volatile ProblemType refuseReattest;

	/** When set, agent renewal is refused with this problem. */
	volatile ProblemType refuseRenewal;

	final List<String> reattested = new ArrayList<>();

	final Set<String> usedTokens = ConcurrentHashMap.newKeySet();

	FakeCa(Clock clock) {
		this.clock = clock;
		this.root = TestPki.root(clock, KeyType.EC_P256);
		this.pki = this.root.intermediate();
		this.roots.add(this.root.rootCredential().certificate());
		this.intermediates.add(this.pki.issuerCredential().certificate());
		this.servedBy = this.pki.leaf("spiffe://td.example/tether/server", "ca.test").chain();
	}

	/** The intermediate that signs now. */
	synchronized X509Certificate issuer() {
		return this.pki.issuerCredential().certificate();
	}

	/**
	 * A new intermediate under the current root signs from now on; the old one stays in
	 * the bundle unless {@code compromised} (an emergency rotation).
	 */
	synchronized void rotateIntermediate(boolean compromised) {
		X509Certificate old = issuer();
		this.pki = this.root.intermediate();
		if (compromised) {
			this.intermediates.remove(old);
		}
		this.intermediates.add(issuer());
	}

	/**
	 * Publishes a new root with its intermediate ahead of use (prepared).
	 * @return the new root's PKI
	 */
	synchronized TestPki prepareRoot() {
		TestPki next = TestPki.root(this.clock, KeyType.EC_P256);
		TestPki intermediate = next.intermediate();
		this.roots.add(next.rootCredential().certificate());
		this.intermediates.add(intermediate.issuerCredential().certificate());
		return intermediate;
	}

	/** The prepared root signs, and the server's TLS certificate moves to it. */
	synchronized void activate(TestPki next) {
		this.pki = next;
		this.servedBy = next.leaf("spiffe://td.example/tether/server", "ca.test").chain();
	}

	/** The server stops serving a root (and the intermediates under it). */
	synchronized void retireRoot(X509Certificate old) {
		this.roots.remove(old);
		this.intermediates
			.removeIf((intermediate) -> intermediate.getIssuerX500Principal().equals(old.getSubjectX500Principal())
					&& verifies(intermediate, old));
	}

	private static boolean verifies(X509Certificate certificate, X509Certificate issuer) {
		try {
			certificate.verify(issuer.getPublicKey());
			return true;
		}
		catch (java.security.GeneralSecurityException ex) {
			return false;
		}
	}

	/** The server leaves an intermediate out of its bundle, whatever it signs. */
	synchronized void unlist(X509Certificate intermediate) {
		this.intermediates.remove(intermediate);
	}

	/** What the server's bundle lists now, roots first. */
	synchronized List<X509Certificate> bundle() {
		List<X509Certificate> all = new ArrayList<>(this.roots);
		all.addAll(this.intermediates);
		return all;
	}

	void entry(String spiffeId, String... dnsNames) {
		this.entries.add(new Entry("entry-" + this.entries.size(), spiffeId, List.of(dnsNames)));
	}

	/** What was issued for a SPIFFE ID, oldest first. */
	List<X509Certificate> issuedFor(String spiffeId) {
		return this.issued.getOrDefault(spiffeId, List.of());
	}

	@Override
	public Enrolled enroll(String joinToken, String rootSha256, Csr csr) throws ServerClient.ServerException {
		available();
		if (this.refuseEnrollment || !this.usedTokens.add(joinToken)) {
			throw new ServerClient.ServerException("join-token-invalid: join token already used", true,
					ProblemType.INVALID_JOIN_TOKEN);
		}
		return new Enrolled("host-1", sign(AGENT, csr, List.of(), this.agentLifetime));
	}

	@Override
	public void authenticateAs(IdentityStore.Identity identity) {
		this.authenticatedAs = identity;
	}

	@Override
	public Issued renewAgent(Csr csr) throws ServerClient.ServerException {
		available();
		if (this.refuseRenewal != null) {
			throw new ServerClient.ServerException("renewal refused", true, this.refuseRenewal);
		}
		return sign(AGENT, csr, List.of(), this.agentLifetime);
	}

	@Override
	public Issued reattest(String agent, X509Certificate certificate, Csr csr, List<X509Certificate> bundle)
			throws ServerClient.ServerException {
		available();
		if (this.refuseReattest != null) {
			throw new ServerClient.ServerException("re-attestation refused: " + this.refuseReattest, true,
					this.refuseReattest);
		}
		if (!csr.publicKey().equals(certificate.getPublicKey())) {
			throw new ServerClient.ServerException("key-mismatch", true, ProblemType.KEY_MISMATCH);
		}
		this.reattested.add(agent);
		return sign(AGENT, csr, List.of(), this.agentLifetime);
	}

	@Override
	public List<Entry> entries() throws ServerClient.ServerException {
		available();
		return List.copyOf(this.entries);
	}

	@Override
	public Issued issue(String entryId, Csr csr) throws ServerClient.ServerException {
		available();
		Entry entry = this.entries.stream()
			.filter((candidate) -> candidate.id().equals(entryId))
			.findFirst()
			.orElseThrow(() -> new ServerClient.ServerException("no such entry " + entryId, true));
		return sign(entry.spiffeId(), csr, entry.dnsNames(), this.workloadLifetime);
	}

	/** The JWT-SVIDs handed out, in order: "spiffeId audience n". */
	final List<String> jwtSvids = new java.util.concurrent.CopyOnWriteArrayList<>();

	volatile Duration jwtLifetime = Duration.ofMinutes(5);

	/** Audiences the fake's entries allow, by SPIFFE ID; others are refused. */
	final Map<String, Set<String>> audiences = new ConcurrentHashMap<>();

	@Override
	public Token jwtSvid(String spiffeId, String audience) throws ServerClient.ServerException {
		available();
		if (!this.audiences.getOrDefault(spiffeId, Set.of()).contains(audience)) {
			throw new ServerClient.ServerException("audience-not-allowed: " + audience, true,
					ProblemType.AUDIENCE_NOT_ALLOWED);
		}
		// not a real JWS: the agent treats the token as opaque text
		String token = "jwt." + spiffeId + "." + audience + "." + (this.jwtSvids.size() + 1);
		this.jwtSvids.add(token);
		return new Token(token, this.clock.instant().plus(this.jwtLifetime));
	}

	@Override
	public Bundle bundle(String etag) throws ServerClient.ServerException {
		this.bundleRequests.incrementAndGet();
		available();
		List<X509Certificate> bundle = bundle();
		String tag = "\"" + Thumbprints.sha256Hex(Pem.write(bundle).getBytes(StandardCharsets.US_ASCII)) + "\"";
		if (tag.equals(etag)) {
			this.bundleNotModified.incrementAndGet();
			return null;
		}
		return new Bundle(bundle, tag, this.servedBy);
	}

	private void available() throws ServerClient.ServerException {
		if (this.down) {
			throw new ServerClient.ServerException("https://ca.test unreachable: Connection refused", false);
		}
	}

	private synchronized Issued sign(String spiffeId, Csr csr, List<String> dnsNames, Duration lifetime) {
		X509Certificate certificate = new CertificateSigner(this.clock, new SecureRandom()).sign(
				new CertificateProfile.Leaf(SpiffeId.parse(spiffeId), dnsNames, lifetime), csr.publicKey(),
				this.pki.issuerCredential());
		this.issued.computeIfAbsent(spiffeId, (key) -> new ArrayList<>()).add(certificate);
		return new Issued(List.of(certificate, this.pki.issuerCredential().certificate()), List.copyOf(this.roots));
	}

}
