package io.tether.server.tls;

import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyType;
import io.tether.pki.Pkcs12;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.certificate.CertificateIssuer;
import io.tether.server.jobs.JobRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The server's own TLS certificate, from its own CA: issued at start and renewed in place
 * at half its life, while the server runs. Tomcat reads it from an SSL bundle; updating
 * the bundle gives new connections the new certificate without a restart, and connections
 * already open keep theirs. It is renewed early when the trusted roots change (a root
 * rotation: the client trust store must hold the new root) or its issuer is revoked. Each
 * replica holds its own certificate, so this runs on every replica, not once across them.
 */
@Component
class ServerTlsCredentials {

	private static final Logger logger = LoggerFactory.getLogger(ServerTlsCredentials.class);

	static final String BUNDLE = "tether-server";

	static final String JOB = "server-tls-renewal";

	private final CertificateIssuer issuer;

	private final CertificateAuthority authority;

	private final TetherProperties properties;

	private final SecureRandom random;

	private final Clock clock;

	private final JobRuns runs;

	private final DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();

	private volatile X509Certificate current;

	/** The roots in the client trust store of the current bundle. */
	private List<X509Certificate> anchors = List.of();

	/** The names the first certificate was issued for; renewals keep them. */
	private List<String> dnsNames = List.of();

	/** The protocols and suites the operator allows; renewals keep them. */
	private SslOptions options = SslOptions.NONE;

	ServerTlsCredentials(CertificateIssuer issuer, CertificateAuthority authority, TetherProperties properties,
			SecureRandom random, Clock clock, JobRuns runs) {
		this.issuer = issuer;
		this.authority = authority;
		this.properties = properties;
		this.random = random;
		this.clock = clock;
		this.runs = runs;
	}

	/**
	 * The bundles Tomcat reads, with the server's certificate issued on first use.
	 */
	synchronized SslBundles bundles(List<String> dnsNames, SslOptions options) {
		if (this.current == null) {
			this.dnsNames = dnsNames;
			this.options = options;
			Issued issued = issue();
			this.bundles.registerBundle(BUNDLE, issued.bundle());
			this.current = issued.certificate();
			this.anchors = issued.anchors();
		}
		return this.bundles;
	}

	/**
	 * Renews the certificate once half its life has passed.
	 */
	@Scheduled(fixedDelayString = "${tether.server.tls-check-interval:PT1M}")
	void renewIfDue() {
		this.runs.run(JOB, false, this::renewNowIfDue);
	}

	private synchronized String renewNowIfDue() {
		X509Certificate certificate = this.current;
		if (certificate == null) {
			return "no certificate yet";
		}
		Instant due = renewalPoint(certificate);
		String why;
		if (!this.authority.trustAnchors().equals(this.anchors)) {
			why = "the trusted roots changed";
		}
		else if (!this.authority.issuedByTrusted(certificate)) {
			why = "its issuer is no longer trusted";
		}
		else if (!this.clock.instant().isBefore(due)) {
			why = "half its life passed";
		}
		else {
			return "not due until " + due;
		}
		// on failure the current certificate stays, and the next check tries again
		Issued issued = issue();
		this.bundles.updateBundle(BUNDLE, issued.bundle());
		this.current = issued.certificate();
		this.anchors = issued.anchors();
		logger.info("Server TLS certificate renewed ({})", why);
		return "renewed (" + why + "); valid until " + issued.certificate().getNotAfter().toInstant();
	}

	static Instant renewalPoint(X509Certificate certificate) {
		return CertificateSigner.pointInLife(certificate, 0.5);
	}

	private record Issued(X509Certificate certificate, SslBundle bundle, List<X509Certificate> anchors) {
	}

	private Issued issue() {
		List<String> dnsNames = this.dnsNames;
		// the client certificates accepted: every root relying parties trust, so that an
		// agent renewed under a new root is accepted as soon as that root signs
		List<X509Certificate> anchors = this.authority.trustAnchors();
		KeyPair keys = KeyType.EC_P256.generate(this.random);
		SignedCertificate signed = this.issuer.issue(
				new CertificateProfile.Leaf(this.properties.serverId(), dnsNames, this.properties.server().tlsTtl()),
				keys.getPublic(), AuditLog.SYSTEM);
		logger.info("Server TLS certificate {} for {}, valid until {}",
				SerialNumbers.toHex(signed.certificate().getSerialNumber()), dnsNames,
				signed.certificate().getNotAfter().toInstant());
		// the password protects an in-memory store only; it never reaches disk
		byte[] secret = new byte[16];
		this.random.nextBytes(secret);
		char[] password = HexFormat.of().formatHex(secret).toCharArray();
		// the root travels in the chain too: an agent that has only the root's
		// fingerprint
		// from its join token pins the root it is shown, then validates the chain to it
		List<X509Certificate> chain = new ArrayList<>(signed.chain());
		chain.add(signed.root());
		KeyStore keyStore = Pkcs12.keyStore(keys.getPrivate(), chain, password);
		KeyStore trustStore = Pkcs12.trustStore(anchors);
		// with a bundle, Tomcat takes protocols and suites from the bundle's options
		return new Issued(signed.certificate(),
				SslBundle.of(SslStoreBundle.of(keyStore, new String(password), trustStore), null, this.options),
				anchors);
	}

}
