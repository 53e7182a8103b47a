package io.tether.pki.testing;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;

/**
 * Throwaway PKIs for tests, built in code with the production {@link CertificateSigner}:
 *
 * <pre>
 * TestPki pki = TestPki.root().intermediate();
 * TestPki.Issued leaf = pki.leaf("spiffe://example.org/web");
 * </pre>
 *
 * Every call generates fresh keys; nothing is cached between tests.
 */
public final class TestPki {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Clock clock;

	private final KeyType keyType;

	private final CaCredential root;

	private final CaCredential issuer;

	private TestPki(Clock clock, KeyType keyType, CaCredential root, CaCredential issuer) {
		this.clock = clock;
		this.keyType = keyType;
		this.root = root;
		this.issuer = issuer;
	}

	/**
	 * A new EC P-256 root valid for a year from the system clock.
	 * @return the test PKI, issuing from the root
	 */
	public static TestPki root() {
		return root(Clock.systemUTC(), KeyType.EC_P256);
	}

	/**
	 * A new root of the given key type, valid for a year from the clock.
	 * @param clock the clock that sets validity periods
	 * @param keyType the root's key type
	 * @return the test PKI, issuing from the root
	 */
	public static TestPki root(Clock clock, KeyType keyType) {
		KeyPair keys = keyType.generate(RANDOM);
		X509Certificate certificate = new CertificateSigner(clock, RANDOM)
			.selfSign(new CertificateProfile.Root("Test Root CA", "Tether Test", Duration.ofDays(365)), keys);
		CaCredential root = new CaCredential(certificate, keys.getPrivate());
		return new TestPki(clock, keyType, root, root);
	}

	/**
	 * Adds an intermediate under the current issuer; leaves are then issued from it.
	 * @return a test PKI issuing from the new intermediate
	 */
	public TestPki intermediate() {
		return intermediate(Duration.ofDays(90));
	}

	/**
	 * Adds an intermediate of the given lifetime under the current issuer.
	 * @param validity the intermediate's lifetime (capped at the root's)
	 * @return a test PKI issuing from the new intermediate
	 */
	public TestPki intermediate(Duration validity) {
		KeyPair keys = this.keyType.generate(RANDOM);
		X509Certificate certificate = signer().sign(
				new CertificateProfile.Intermediate("Test Intermediate CA", "Tether Test", validity), keys.getPublic(),
				this.issuer);
		return new TestPki(this.clock, this.keyType, this.root, new CaCredential(certificate, keys.getPrivate()));
	}

	/**
	 * Issues an EC P-256 leaf for a SPIFFE ID, valid for an hour.
	 * @param spiffeId the SPIFFE ID
	 * @param dnsNames DNS names, possibly none
	 * @return the leaf with its key and chain
	 */
	public Issued leaf(String spiffeId, String... dnsNames) {
		return leaf(KeyType.EC_P256, Duration.ofHours(1), spiffeId, dnsNames);
	}

	/**
	 * Issues a leaf of the given key type and lifetime.
	 * @param leafKeyType the leaf's key type
	 * @param validity the lifetime (capped at the issuer's)
	 * @param spiffeId the SPIFFE ID
	 * @param dnsNames DNS names, possibly none
	 * @return the leaf with its key and chain
	 */
	public Issued leaf(KeyType leafKeyType, Duration validity, String spiffeId, String... dnsNames) {
		KeyPair keys = leafKeyType.generate(RANDOM);
		X509Certificate certificate = signer().sign(
				new CertificateProfile.Leaf(SpiffeId.parse(spiffeId), List.of(dnsNames), validity), keys.getPublic(),
				this.issuer);
		List<X509Certificate> chain = new ArrayList<>();
		chain.add(certificate);
		if (this.issuer != this.root) {
			chain.add(this.issuer.certificate());
		}
		return new Issued(keys, certificate, List.copyOf(chain));
	}

	/**
	 * The root CA.
	 * @return the root's certificate and key
	 */
	public CaCredential rootCredential() {
		return this.root;
	}

	/**
	 * The CA that issues leaves: the last intermediate, or the root.
	 * @return its certificate and key
	 */
	public CaCredential issuerCredential() {
		return this.issuer;
	}

	private CertificateSigner signer() {
		return new CertificateSigner(this.clock, RANDOM);
	}

	/**
	 * An issued leaf.
	 *
	 * @param keys the leaf's key pair
	 * @param certificate the leaf certificate
	 * @param chain leaf first, then intermediates (never the root)
	 */
	public record Issued(KeyPair keys, X509Certificate certificate, List<X509Certificate> chain) {
	}

}
