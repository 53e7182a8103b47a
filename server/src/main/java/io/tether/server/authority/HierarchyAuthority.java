package io.tether.server.authority;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.PkiException;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA hierarchy kept in the database: one root and one intermediate, keys sealed under
 * the KEK. The first start creates both; every later start, on any replica, loads them.
 * The in-memory copy is derived from the database and never authoritative.
 */
class HierarchyAuthority implements CertificateAuthority {

	private static final Logger logger = LoggerFactory.getLogger(HierarchyAuthority.class);

	private static final String ORGANIZATION = "Tether";

	private final AuthorityRepository authorities;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final KeyEncryptionKey kek;

	private final TetherProperties properties;

	private final Clock clock;

	private final SecureRandom random;

	private final CertificateSigner signer;

	private volatile Hierarchy hierarchy;

	HierarchyAuthority(AuthorityRepository authorities, AuditLog audit, TransactionTemplate transactions,
			KeyEncryptionKey kek, TetherProperties properties, Clock clock, SecureRandom random) {
		this.authorities = authorities;
		this.audit = audit;
		this.transactions = transactions;
		this.kek = kek;
		this.properties = properties;
		this.clock = clock;
		this.random = random;
		this.signer = new CertificateSigner(clock, random);
	}

	/**
	 * Loads the hierarchy, creating it on first start. When two replicas race on an empty
	 * database, the unique (kind, generation) constraint lets one win; the other loads
	 * what the winner wrote.
	 */
	void start() {
		IntermediateRotation.check(this.properties);
		try {
			this.hierarchy = this.transactions.execute((status) -> loadOrCreate());
		}
		catch (DataIntegrityViolationException ex) {
			logger.info("Another replica created the CA hierarchy first; loading it");
			this.hierarchy = this.transactions.execute((status) -> load());
		}
		if (rotateIntermediateIfDue()) {
			logger.info("The intermediate was past its rotation point at start; a new one is active");
		}
		X509Certificate root = this.hierarchy.roots().get(0);
		logger.info("CA hierarchy ready: trust domain {}, root {} (SHA-256 {}), intermediate {}",
				this.properties.trustDomain(), root.getSubjectX500Principal().getName(), Thumbprints.sha256Hex(root),
				this.hierarchy.intermediate().certificate().getSubjectX500Principal().getName());
	}

	/**
	 * The point of an intermediate's life at which a new one takes over: half. With every
	 * leaf lifetime at most the other half (checked at start), a leaf is never cut short
	 * by its issuer's expiry, and the old intermediate, now retiring, outlives every leaf
	 * it signed.
	 */
	static final double ROTATION_POINT = 0.5;

	static Instant rotationPoint(X509Certificate intermediate) {
		return CertificateSigner.pointInLife(intermediate, ROTATION_POINT);
	}

	/**
	 * Replaces the active intermediate with a new one signed by the root once it is past
	 * its rotation point (or expired); the old one becomes retiring. Under the active
	 * intermediate's row lock, so replicas racing here rotate once.
	 * @return whether this call rotated
	 */
	boolean rotateIntermediateIfDue() {
		Boolean rotated = this.transactions.execute((status) -> {
			List<AuthorityEntity> active = this.authorities
				.findForUpdateByKindAndStatus(AuthorityEntity.Kind.INTERMEDIATE, AuthorityEntity.Status.ACTIVE);
			if (active.isEmpty()) {
				return false;
			}
			AuthorityEntity current = active.get(0);
			X509Certificate certificate = Pem.readCertificate(current.getCertificatePem());
			Instant now = this.clock.instant();
			if (now.isBefore(rotationPoint(certificate))) {
				return false;
			}
			AuthorityEntity rootEntity = this.authorities.findById(current.getParentId())
				.orElseThrow(() -> new IllegalStateException(
						"The root of intermediate " + current.getId() + " is missing from the database"));
			X509Certificate root = Pem.readCertificate(rootEntity.getCertificatePem());
			KeyPair keys = KeyType.EC_P256.generate(this.random);
			X509Certificate next = this.signer.sign(
					new CertificateProfile.Intermediate("Tether Intermediate CA " + this.properties.trustDomain(),
							ORGANIZATION, this.properties.ca().intermediateTtl()),
					keys.getPublic(), new CaCredential(root, open(rootEntity)));
			String id = UUID.randomUUID().toString();
			save(id, AuthorityEntity.Kind.INTERMEDIATE, current.getGeneration() + 1, rootEntity.getId(), next,
					keys.getPrivate());
			active.forEach((previous) -> previous.retire(AuthorityEntity.Status.RETIRING));
			this.authorities.flush();
			this.audit.record(AuditLog.SYSTEM, "authority.rotated", id,
					"intermediate generation " + (current.getGeneration() + 1) + " "
							+ SerialNumbers.toHex(next.getSerialNumber()) + " replaces "
							+ SerialNumbers.toHex(certificate.getSerialNumber()) + " (retiring until "
							+ certificate.getNotAfter().toInstant() + ")");
			logger.info("Intermediate rotated: generation {} ({}), valid until {}; the previous one retires at {}",
					current.getGeneration() + 1, SerialNumbers.toHex(next.getSerialNumber()),
					next.getNotAfter().toInstant(), certificate.getNotAfter().toInstant());
			return true;
		});
		reload();
		return Boolean.TRUE.equals(rotated);
	}

	/**
	 * Marks retiring authorities retired once they expired: nothing they signed is valid.
	 * @return how many were retired
	 */
	int retireExpired() {
		Integer retired = this.transactions.execute((status) -> {
			Instant now = this.clock.instant();
			int count = 0;
			for (AuthorityEntity retiring : this.authorities.findByKindAndStatusOrderByGenerationAsc(
					AuthorityEntity.Kind.INTERMEDIATE, AuthorityEntity.Status.RETIRING)) {
				if (!retiring.getNotAfter().isAfter(now)) {
					retiring.retire(AuthorityEntity.Status.RETIRED);
					this.audit.record(AuditLog.SYSTEM, "authority.retired", retiring.getId(),
							"intermediate generation " + retiring.getGeneration());
					count++;
				}
			}
			return count;
		});
		return (retired != null) ? retired : 0;
	}

	/**
	 * Reads the hierarchy again: another replica may have rotated.
	 */
	void reload() {
		Hierarchy loaded = this.transactions.execute((status) -> load());
		if (loaded != null) {
			this.hierarchy = loaded;
		}
	}

	private Hierarchy loadOrCreate() {
		Hierarchy existing = load();
		return (existing != null) ? existing : create();
	}

	private Hierarchy load() {
		List<AuthorityEntity> roots = this.authorities
			.findByKindAndStatusOrderByGenerationAsc(AuthorityEntity.Kind.ROOT, AuthorityEntity.Status.ACTIVE);
		AuthorityEntity intermediate = this.authorities
			.findFirstByKindAndStatusOrderByGenerationDesc(AuthorityEntity.Kind.INTERMEDIATE,
					AuthorityEntity.Status.ACTIVE)
			.orElse(null);
		if (roots.isEmpty() && intermediate == null) {
			return null;
		}
		if (roots.isEmpty() || intermediate == null) {
			throw new IllegalStateException("The CA hierarchy in the database is incomplete (roots: " + roots.size()
					+ ", intermediate: " + (intermediate != null) + "); restore the database from a backup");
		}
		PrivateKey key = open(intermediate);
		CaCredential credential = new CaCredential(Pem.readCertificate(intermediate.getCertificatePem()), key);
		List<X509Certificate> rootCertificates = roots.stream()
			.map((root) -> Pem.readCertificate(root.getCertificatePem()))
			.toList();
		List<X509Certificate> retiring = this.authorities
			.findByKindAndStatusOrderByGenerationAsc(AuthorityEntity.Kind.INTERMEDIATE, AuthorityEntity.Status.RETIRING)
			.stream()
			.map((authority) -> Pem.readCertificate(authority.getCertificatePem()))
			.toList();
		return new Hierarchy(rootCertificates, credential, intermediate.getId(), retiring);
	}

	private Hierarchy create() {
		KeyType keyType = KeyType.EC_P256;
		String trustDomain = this.properties.trustDomain();
		KeyPair rootKeys = keyType.generate(this.random);
		X509Certificate root = this.signer.selfSign(new CertificateProfile.Root("Tether Root CA " + trustDomain,
				ORGANIZATION, this.properties.ca().rootTtl()), rootKeys);
		String rootId = UUID.randomUUID().toString();
		save(rootId, AuthorityEntity.Kind.ROOT, null, root, rootKeys.getPrivate());

		KeyPair intermediateKeys = keyType.generate(this.random);
		CaCredential rootCredential = new CaCredential(root, rootKeys.getPrivate());
		X509Certificate intermediate = this.signer
			.sign(new CertificateProfile.Intermediate("Tether Intermediate CA " + trustDomain, ORGANIZATION,
					this.properties.ca().intermediateTtl()), intermediateKeys.getPublic(), rootCredential);
		String intermediateId = UUID.randomUUID().toString();
		save(intermediateId, AuthorityEntity.Kind.INTERMEDIATE, rootId, intermediate, intermediateKeys.getPrivate());
		this.authorities.flush();
		this.audit.record(AuditLog.SYSTEM, "authority.created", rootId,
				"root " + SerialNumbers.toHex(root.getSerialNumber()) + ", intermediate "
						+ SerialNumbers.toHex(intermediate.getSerialNumber()) + ", trust domain " + trustDomain);
		logger.info("Created a new CA hierarchy for trust domain {}", trustDomain);
		return new Hierarchy(List.of(root), new CaCredential(intermediate, intermediateKeys.getPrivate()),
				intermediateId, List.of());
	}

	private void save(String id, AuthorityEntity.Kind kind, String parentId, X509Certificate certificate,
			PrivateKey key) {
		save(id, kind, 1, parentId, certificate, key);
	}

	private void save(String id, AuthorityEntity.Kind kind, int generation, String parentId,
			X509Certificate certificate, PrivateKey key) {
		String sealed = Base64.getEncoder().encodeToString(this.kek.seal(key, associatedData(id)));
		this.authorities.save(new AuthorityEntity(id, kind, generation, parentId,
				certificate.getSubjectX500Principal().getName(), SerialNumbers.toHex(certificate.getSerialNumber()),
				KeyType.of(certificate.getPublicKey()).id(), Pem.write(certificate), sealed,
				certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), this.clock.instant()));
	}

	private PrivateKey open(AuthorityEntity authority) {
		try {
			return this.kek.open(Base64.getDecoder().decode(authority.getSealedKey()),
					associatedData(authority.getId()));
		}
		catch (PkiException ex) {
			throw new IllegalStateException(
					"Cannot open the private key of CA " + authority.getId() + ": " + ex.getMessage()
							+ ". Start with the KEK used when the CA was created (TETHER_KEK, tether.kek-file "
							+ "or <data-dir>/kek).",
					ex);
		}
	}

	private static byte[] associatedData(String authorityId) {
		return ("tether-authority:" + authorityId).getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public SignedCertificate sign(CertificateProfile.Leaf profile, PublicKey subjectKey) {
		Hierarchy current = current();
		X509Certificate certificate = this.signer.sign(profile, subjectKey, current.intermediate());
		return new SignedCertificate(certificate, List.of(certificate, current.intermediate().certificate()),
				current.intermediateId());
	}

	@Override
	public List<X509Certificate> trustAnchors() {
		return current().roots();
	}

	@Override
	public X509Certificate activeIntermediate() {
		return current().intermediate().certificate();
	}

	@Override
	public List<X509Certificate> validIntermediates() {
		Hierarchy current = current();
		List<X509Certificate> intermediates = new ArrayList<>();
		intermediates.add(current.intermediate().certificate());
		intermediates.addAll(current.retiring());
		return intermediates;
	}

	private Hierarchy current() {
		Hierarchy current = this.hierarchy;
		if (current == null) {
			throw new IllegalStateException("The CA hierarchy is not loaded yet");
		}
		return current;
	}

	private record Hierarchy(List<X509Certificate> roots, CaCredential intermediate, String intermediateId,
			List<X509Certificate> retiring) {
	}

}
