package io.tether.server.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tether.pki.AtomicFiles;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.PkiException;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.certificate.CertificateIssuer;
import io.tether.server.jobs.JobRuns;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the operator's admin credentials in {@code <data-dir>/admin/}:
 * {@code admin-cert.pem} (chain), {@code admin-key.pem} (mode 0600) and
 * {@code ca-bundle.pem}. They are issued on first start, and again when the certificate
 * has less than a third of its life left or no longer chains to the active intermediate.
 * The key is generated here, the one exception to "keys are born where they are used":
 * the operator has nothing to enroll with before the CA exists.
 */
@Component
class AdminCredentials implements ApplicationRunner {

	private static final Logger logger = LoggerFactory.getLogger(AdminCredentials.class);

	static final String CERTIFICATE = "admin-cert.pem";

	static final String KEY = "admin-key.pem";

	static final String BUNDLE = "ca-bundle.pem";

	static final String CLI_CONFIG = "config.yaml";

	static final String JOB = "admin-certificate-renewal";

	private final CertificateIssuer issuer;

	private final CertificateAuthority authority;

	private final TetherProperties properties;

	private final Environment environment;

	private final Clock clock;

	private final SecureRandom random;

	private final JobRuns runs;

	AdminCredentials(CertificateIssuer issuer, CertificateAuthority authority, TetherProperties properties,
			Environment environment, Clock clock, SecureRandom random, JobRuns runs) {
		this.issuer = issuer;
		this.authority = authority;
		this.properties = properties;
		this.environment = environment;
		this.clock = clock;
		this.random = random;
		this.runs = runs;
	}

	@Override
	public synchronized void run(ApplicationArguments args) {
		Path directory = directory();
		try {
			Files.createDirectories(directory);
			Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
			writeBundle(directory);
			if (this.properties.admin().retired()) {
				logger.info("The bootstrap admin is retired (tether.admin.retired=true): its certificate in {} is "
						+ "refused and no longer renewed; named operators run this CA", directory);
				return;
			}
			boolean issued = false;
			if (needsIssuing(directory.resolve(CERTIFICATE))) {
				issue(directory);
				issued = true;
			}
			String url = "https://localhost:" + this.environment.getProperty("local.server.port", "8443");
			writeCliConfig(directory, url);
			announce(directory, url, this.authority.activeRoot(), issued);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write the admin credentials to " + directory, ex);
		}
	}

	/**
	 * Renews the admin certificate while the server runs, when a third of its life is
	 * left (as a start does): a server that runs longer than the certificate lives no
	 * longer locks its operator out. The CLI warns when fewer than 7 days remain.
	 */
	@Scheduled(initialDelayString = "${tether.admin.check-interval:PT1H}",
			fixedDelayString = "${tether.admin.check-interval:PT1H}")
	void renewIfDue() {
		if (this.properties.admin().retired()) {
			return;
		}
		this.runs.run(JOB, false, this::renewNowIfDue);
	}

	private synchronized String renewNowIfDue() throws IOException {
		Path directory = directory();
		boolean bundleChanged = writeBundle(directory);
		if (!needsIssuing(directory.resolve(CERTIFICATE))) {
			return bundleChanged ? "bundle rewritten: the trusted roots changed" : "not due";
		}
		// on failure the current certificate stays, and the next check tries again
		issue(directory);
		logger.info("Admin certificate renewed in {}", directory);
		return "renewed in " + directory;
	}

	/**
	 * Writes the roots the CLI trusts when they changed: during a root rotation the CLI
	 * holds the new root before the server's certificate chains to it.
	 * @return whether the file changed
	 */
	private boolean writeBundle(Path directory) throws IOException {
		Path file = directory.resolve(BUNDLE);
		String bundle = Pem.write(this.authority.trustAnchors());
		if (Files.exists(file) && Files.readString(file, StandardCharsets.US_ASCII).equals(bundle)) {
			return false;
		}
		AtomicFiles.write(file, bundle.getBytes(StandardCharsets.US_ASCII), AtomicFiles.PUBLIC_READ);
		return true;
	}

	private Path directory() {
		return this.properties.dataDir().resolve("admin").toAbsolutePath().normalize();
	}

	private boolean needsIssuing(Path certificateFile) throws IOException {
		if (!Files.exists(certificateFile) || !Files.exists(certificateFile.resolveSibling(KEY))) {
			return true;
		}
		try {
			X509Certificate certificate = Pem.readCertificate(Files.readString(certificateFile));
			if (!this.authority.issuedByTrusted(certificate)) {
				// a rotation leaves it trusted, an emergency rotation does not
				throw new GeneralSecurityException("not signed by a trusted intermediate");
			}
			// due when a third of its life is left
			return !this.clock.instant().isBefore(CertificateSigner.pointInLife(certificate, 2.0 / 3));
		}
		catch (PkiException | GeneralSecurityException ex) {
			logger.warn("Admin certificate {} is unusable ({}); issuing a new one", certificateFile, ex.getMessage());
			return true;
		}
	}

	private void issue(Path directory) throws IOException {
		KeyPair keys = reusableKeys(directory).orElseGet(() -> KeyType.EC_P256.generate(this.random));
		SignedCertificate signed = this.issuer.issue(
				new CertificateProfile.Leaf(this.properties.adminId(), List.of(), this.properties.admin().ttl()),
				keys.getPublic(), AuditLog.SYSTEM);
		// key first: a reader that finds a new certificate also finds its key
		AtomicFiles.write(directory.resolve(KEY), Pem.write(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.OWNER_ONLY);
		AtomicFiles.write(directory.resolve(CERTIFICATE), Pem.write(signed.chain()).getBytes(StandardCharsets.US_ASCII),
				AtomicFiles.PUBLIC_READ);
	}

	/**
	 * The key of the current admin certificate, when both files are there and match: a
	 * renewal keeps it (as agents keep theirs), so a CLI that reads the key and the
	 * certificate while they are being replaced never holds a mismatched pair.
	 */
	private Optional<KeyPair> reusableKeys(Path directory) {
		try {
			PrivateKey key = Pem.readPrivateKey(Files.readString(directory.resolve(KEY)));
			PublicKey publicKey = Pem.readCertificate(Files.readString(directory.resolve(CERTIFICATE))).getPublicKey();
			return KeyType.matches(key, publicKey) ? Optional.of(new KeyPair(publicKey, key)) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A ready configuration for the {@code tether} CLI, rewritten at each start so that
	 * it names the port the server listens on now. Paths are relative to the file.
	 */
	private static void writeCliConfig(Path directory, String url) throws IOException {
		String config = """
				# tether CLI configuration, rewritten by tether-server at each start.
				#   TETHER_CONFIG=%s bin/tether status
				# Copy it (with the three files it names) to ~/.config/tether/ to drop TETHER_CONFIG.
				server: %s
				bundle: %s            # the only certificates the CLI trusts the server with
				certificate: %s
				key: %s
				""".formatted(directory.resolve(CLI_CONFIG), url, BUNDLE, CERTIFICATE, KEY);
		AtomicFiles.write(directory.resolve(CLI_CONFIG), config.getBytes(StandardCharsets.UTF_8),
				AtomicFiles.OWNER_ONLY);
	}

	private void announce(Path directory, String url, X509Certificate root, boolean issued) {
		String message = """

				Tether CA is running at %s (trust domain %s)
				  root CA SHA-256 fingerprint: %s
				  admin credentials %s: %s
				    %s  %s  %s
				  CLI configuration: %s
				  try: TETHER_CONFIG=%s bin/tether status
				""".formatted(url, this.properties.trustDomain(), Thumbprints.sha256Hex(root),
				issued ? "written to" : "in", directory, CERTIFICATE, KEY, BUNDLE, directory.resolve(CLI_CONFIG),
				directory.resolve(CLI_CONFIG));
		System.out.println(message);
		System.out.flush();
	}

}
