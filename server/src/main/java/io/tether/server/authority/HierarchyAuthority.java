package io.tether.server.authority;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.tether.api.ProblemType;
import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.web.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The CA hierarchy kept in the database: roots and intermediates in their rotation states
 * ({@link RotationPlan}), keys sealed under the KEK or held in a PKCS#11 token
 * ({@link CaKeys}). The first start creates a root and an intermediate; every later
 * start, on any replica, loads them and catches up with the rotation schedule. The
 * in-memory copy is derived from the database and never authoritative.
 */
class HierarchyAuthority implements CertificateAuthority, IssuingAuthorities {

	private static final Logger logger = LoggerFactory.getLogger(HierarchyAuthority.class);

	private static final String ORGANIZATION = "Tether";

	private static final Duration MAX_REFRESH_HINT = Duration.ofMinutes(5);

	private static final Duration MIN_REFRESH_HINT = Duration.ofSeconds(1);

	private final AuthorityRepository authorities;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	private final CaKeys keys;

	private final TetherProperties properties;

	private final Clock clock;

	private final CertificateSigner signer;

	private final RevocationUrls urls;

	private volatile Hierarchy hierarchy;

	HierarchyAuthority(AuthorityRepository authorities, AuditLog audit, TransactionTemplate transactions, CaKeys keys,
			TetherProperties properties, RevocationUrls urls, Clock clock, SecureRandom random) {
		this.urls = urls;
		this.authorities = authorities;
		this.audit = audit;
		this.transactions = transactions;
		this.keys = keys;
		this.properties = properties;
		this.clock = clock;
		this.signer = new CertificateSigner(clock, random);
	}

	/**
	 * Loads the hierarchy, creating it on first start, then brings it up to date: a
	 * server stopped past a rotation point, or past its intermediate's expiry, rotates
	 * here and says so. When two replicas race on an empty database, the unique (kind,
	 * generation) constraint lets one win; the other loads what the winner wrote.
	 */
	void start() {
		CaRotation.check(this.properties);
		try {
			this.hierarchy = this.transactions.execute((status) -> loadOrCreate());
		}
		catch (DataIntegrityViolationException ex) {
			logger.info("Another replica created the CA hierarchy first; loading it");
			this.hierarchy = this.transactions.execute((status) -> load());
		}
		int steps = advance();
		if (steps > 0) {
			logger.info("The CA hierarchy was behind its rotation schedule at start; {} step(s) taken", steps);
		}
		X509Certificate root = current().activeRoot();
		logger.info("CA hierarchy ready: trust domain {}, root {} (SHA-256 {}), intermediate {}",
				this.properties.trustDomain(), root.getSubjectX500Principal().getName(), Thumbprints.sha256Hex(root),
				this.hierarchy.intermediate().certificate().getSubjectX500Principal().getName());
	}

	/**
	 * Takes every step of the rotation plan that is due ({@link RotationPlan}), each in
	 * its own transaction under a lock on every authority row, so that replicas racing
	 * here take turns and the second finds the work done, and a crash between steps
	 * leaves a state the next call continues from.
	 * @return how many steps were taken
	 */
	int advance() {
		int steps = 0;
		// a handful of steps at most (a recovery creates a root, then an intermediate)
		while (steps < 8 && Boolean.TRUE.equals(this.transactions.execute((status) -> {
			List<AuthorityEntity> all = this.authorities.findAllForUpdate();
			Optional<RotationPlan.Step> step = RotationPlan.next(nodes(all), this.clock.instant(),
					this.properties.ca().intermediateTtl());
			step.ifPresent((next) -> apply(next, all, AuditLog.SYSTEM));
			return step.isPresent();
		}))) {
			steps++;
		}
		reload();
		return steps;
	}

	/**
	 * Moves a rotation forward now, at an operator's request. An intermediate rotation
	 * prepares the next intermediate when none is prepared, and otherwise makes the
	 * prepared one active; an emergency rotation makes a new intermediate active at once
	 * and revokes the active one, which leaves the bundles at once (agents re-issue what
	 * it signed at their next sync). A root rotation prepares the next root; the next
	 * intermediate prepared after the publication lead is signed by it.
	 * @param kind {@code intermediate} or {@code root}
	 * @param emergency replace the active intermediate at once
	 * @param actor who asked, for the audit
	 * @return what was done
	 * @throws ApiException (409) when the request cannot be carried out now
	 */
	String rotate(AuthorityEntity.Kind kind, boolean emergency, String actor) {
		String done = this.transactions.execute((status) -> {
			List<AuthorityEntity> all = this.authorities.findAllForUpdate();
			RotationPlan.Step step = manualStep(kind, emergency, all);
			if (emergency) {
				AuthorityEntity compromised = find(all, AuthorityEntity.Kind.INTERMEDIATE,
						AuthorityEntity.Status.ACTIVE);
				apply(step, all, actor);
				compromised.revoke(this.clock.instant());
				all.stream()
					.filter((authority) -> authority.getStatus() == AuthorityEntity.Status.PREPARED
							&& authority.getKind() == AuthorityEntity.Kind.INTERMEDIATE)
					.forEach((unused) -> unused.moveTo(AuthorityEntity.Status.RETIRED));
				this.audit.record(actor, "authority.revoked", compromised.getId(),
						"intermediate generation " + compromised.getGeneration() + " " + compromised.getSerialNumber()
								+ " replaced in an emergency rotation");
				logger.warn("Intermediate generation {} revoked in an emergency rotation", compromised.getGeneration());
				return "revoked intermediate generation " + compromised.getGeneration() + "; " + step.reason();
			}
			apply(step, all, actor);
			return step.reason();
		});
		reload();
		return done;
	}

	private RotationPlan.Step manualStep(AuthorityEntity.Kind kind, boolean emergency, List<AuthorityEntity> all) {
		Instant now = this.clock.instant();
		AuthorityEntity preparedRoot = find(all, AuthorityEntity.Kind.ROOT, AuthorityEntity.Status.PREPARED);
		if (kind == AuthorityEntity.Kind.ROOT) {
			if (emergency) {
				throw new ApiException(ProblemType.CONFLICT, "An emergency rotation replaces the intermediate; a root "
						+ "rotation must be published before use: rotate the root without --emergency");
			}
			if (preparedRoot != null) {
				throw new ApiException(ProblemType.CONFLICT,
						"Root generation " + preparedRoot.getGeneration()
								+ " is already prepared; the first intermediate prepared after "
								+ preparedRoot.node()
									.issuedAt()
									.plus(RotationPlan.publicationLead(this.properties.ca().intermediateTtl()))
								+ " is signed by it (rotate the intermediate to move on)");
			}
			return new RotationPlan.Step.CreateRoot(false, "an operator asked for a root rotation");
		}
		AuthorityEntity prepared = find(all, AuthorityEntity.Kind.INTERMEDIATE, AuthorityEntity.Status.PREPARED);
		if (!emergency && prepared != null) {
			return new RotationPlan.Step.Activate(prepared.getId(), "an operator asked for an intermediate rotation");
		}
		String parent = RotationPlan.rootForNext(nodes(all), now, this.properties.ca().intermediateTtl())
			.orElseThrow(() -> new ApiException(ProblemType.CONFLICT, "No root can sign an intermediate for its "
					+ "whole life (" + this.properties.ca().intermediateTtl() + "); rotate the root first"));
		return new RotationPlan.Step.CreateIntermediate(parent, emergency,
				emergency ? "an operator asked for an emergency intermediate rotation"
						: "an operator asked for an intermediate rotation");
	}

	private void apply(RotationPlan.Step step, List<AuthorityEntity> all, String actor) {
		Instant now = this.clock.instant();
		switch (step) {
			case RotationPlan.Step.CreateRoot create -> {
				AuthorityEntity root = createRoot(all);
				if (create.activate()) {
					all.stream()
						.filter((authority) -> authority.getKind() == AuthorityEntity.Kind.ROOT
								&& (authority.getStatus() == AuthorityEntity.Status.ACTIVE
										|| authority.getStatus() == AuthorityEntity.Status.PREPARED))
						.forEach((old) -> old.moveTo(old.node().expiredAt(now) ? AuthorityEntity.Status.RETIRED
								: AuthorityEntity.Status.RETIRING));
					root.moveTo(AuthorityEntity.Status.ACTIVE);
				}
				record(actor, create.activate() ? "authority.activated" : "authority.prepared", root, step);
			}
			case RotationPlan.Step.CreateIntermediate create -> {
				AuthorityEntity intermediate = createIntermediate(all, byId(all, create.parentId()));
				all.add(intermediate);
				record(actor, "authority.prepared", intermediate, step);
				if (create.activate()) {
					activate(intermediate, all, now);
					record(actor, "authority.activated", intermediate, step);
				}
			}
			case RotationPlan.Step.Activate activate -> {
				AuthorityEntity intermediate = byId(all, activate.id());
				activate(intermediate, all, now);
				record(actor, "authority.activated", intermediate, step);
			}
			case RotationPlan.Step.Retire retire -> {
				AuthorityEntity authority = byId(all, retire.id());
				authority.moveTo(AuthorityEntity.Status.RETIRED);
				record(actor, "authority.retired", authority, step);
			}
		}
		this.authorities.flush();
	}

	/**
	 * The intermediate becomes active and the active one retires; its root becomes active
	 * if it was not, and any other active root retires: one active intermediate, under
	 * the one active root.
	 */
	private void activate(AuthorityEntity intermediate, List<AuthorityEntity> all, Instant now) {
		AuthorityEntity root = byId(all, intermediate.getParentId());
		for (AuthorityEntity authority : all) {
			if (authority.getStatus() == AuthorityEntity.Status.ACTIVE && authority != intermediate
					&& authority != root) {
				authority.moveTo(authority.node().expiredAt(now) ? AuthorityEntity.Status.RETIRED
						: AuthorityEntity.Status.RETIRING);
			}
		}
		root.moveTo(AuthorityEntity.Status.ACTIVE);
		intermediate.moveTo(AuthorityEntity.Status.ACTIVE);
	}

	private void record(String actor, String action, AuthorityEntity authority, RotationPlan.Step step) {
		String what = authority.getKind().name().toLowerCase(Locale.ROOT) + " generation " + authority.getGeneration()
				+ " " + authority.getSerialNumber();
		this.audit.record(actor, action, authority.getId(), what + ": " + step.reason());
		logger.info("CA {} {} (valid until {}): {}", what, action.substring(action.indexOf('.') + 1),
				authority.getNotAfter(), step.reason());
	}

	private static List<RotationPlan.Node> nodes(List<AuthorityEntity> all) {
		return all.stream().map(AuthorityEntity::node).toList();
	}

	private static AuthorityEntity find(List<AuthorityEntity> all, AuthorityEntity.Kind kind,
			AuthorityEntity.Status status) {
		return all.stream()
			.filter((authority) -> authority.getKind() == kind && authority.getStatus() == status)
			.max(java.util.Comparator.comparingInt(AuthorityEntity::getGeneration))
			.orElse(null);
	}

	private static AuthorityEntity byId(List<AuthorityEntity> all, String id) {
		return all.stream()
			.filter((authority) -> authority.getId().equals(id))
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("Authority " + id + " is missing from the database"));
	}

	private AuthorityEntity createRoot(List<AuthorityEntity> all) {
		int generation = nextGeneration(all, AuthorityEntity.Kind.ROOT);
		KeyPair keys = this.keys.generate(KeyType.EC_P256);
		X509Certificate root = this.signer.selfSign(
				new CertificateProfile.Root(rootName(generation), ORGANIZATION, this.properties.ca().rootTtl()), keys,
				this.keys.current().provider());
		AuthorityEntity entity = save(UUID.randomUUID().toString(), AuthorityEntity.Kind.ROOT, generation, null, root,
				keys.getPrivate());
		all.add(entity);
		return entity;
	}

	private AuthorityEntity createIntermediate(List<AuthorityEntity> all, AuthorityEntity rootEntity) {
		int generation = nextGeneration(all, AuthorityEntity.Kind.INTERMEDIATE);
		X509Certificate root = Pem.readCertificate(rootEntity.getCertificatePem());
		KeyPair keys = this.keys.generate(KeyType.EC_P256);
		X509Certificate intermediate = this.signer.sign(
				new CertificateProfile.Intermediate("Tether Intermediate CA " + this.properties.trustDomain(),
						ORGANIZATION, this.properties.ca().intermediateTtl()),
				keys.getPublic(), this.keys.credential(rootEntity), this.urls.forIntermediate(root));
		return save(UUID.randomUUID().toString(), AuthorityEntity.Kind.INTERMEDIATE, generation, rootEntity.getId(),
				intermediate, keys.getPrivate());
	}

	private static int nextGeneration(List<AuthorityEntity> all, AuthorityEntity.Kind kind) {
		return all.stream()
			.filter((authority) -> authority.getKind() == kind)
			.mapToInt(AuthorityEntity::getGeneration)
			.max()
			.orElse(0) + 1;
	}

	/**
	 * Root names carry their generation from the second on: a relying party that indexes
	 * trust anchors by subject (OpenSSL's hashed directories, Java trust stores by alias)
	 * keeps both the old and the new root during a rotation.
	 */
	private String rootName(int generation) {
		String name = "Tether Root CA " + this.properties.trustDomain();
		return (generation == 1) ? name : name + " G" + generation;
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
		List<AuthorityEntity> all = this.authorities.findAll();
		if (all.isEmpty()) {
			return null;
		}
		AuthorityEntity intermediate = find(all, AuthorityEntity.Kind.INTERMEDIATE, AuthorityEntity.Status.ACTIVE);
		AuthorityEntity root = (intermediate != null) ? byId(all, intermediate.getParentId()) : null;
		if (intermediate == null || root.getStatus() != AuthorityEntity.Status.ACTIVE) {
			throw new IllegalStateException("The CA hierarchy in the database has no active intermediate under an "
					+ "active root; restore the database from a backup");
		}
		CaCredential credential = this.keys.credential(intermediate);
		return new Hierarchy(trusted(all, AuthorityEntity.Kind.ROOT), Pem.readCertificate(root.getCertificatePem()),
				credential, intermediate.getId(), trusted(all, AuthorityEntity.Kind.INTERMEDIATE), issuers(all),
				sequence(all));
	}

	private static List<Issuer> issuers(List<AuthorityEntity> all) {
		return all.stream()
			.filter((authority) -> authority.getStatus() != AuthorityEntity.Status.RETIRED)
			.sorted(java.util.Comparator.comparing(AuthorityEntity::getKind)
				.thenComparingInt(AuthorityEntity::getGeneration))
			.map((authority) -> {
				X509Certificate certificate = Pem.readCertificate(authority.getCertificatePem());
				return new Issuer(authority.getId(), authority.getKind().name().toLowerCase(Locale.ROOT),
						authority.getStatus().name().toLowerCase(Locale.ROOT), authority.getGeneration(),
						authority.getParentId(), certificate,
						KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(certificate)), authority.getRevokedAt());
			})
			.toList();
	}

	/**
	 * The bundle's sequence number, from the rows alone so that every replica agrees
	 * without a counter to keep: each authority counts for how far along its one-way path
	 * of states it is. Authorities are never deleted and never move back, so a new one or
	 * a step forward adds to the sum and nothing takes from it.
	 */
	private static long sequence(List<AuthorityEntity> all) {
		long sequence = 0;
		for (AuthorityEntity authority : all) {
			sequence += switch (authority.getStatus()) {
				case PREPARED -> 1;
				case ACTIVE -> 2;
				case RETIRING -> 3;
				case RETIRED, REVOKED -> 4;
			};
		}
		return sequence;
	}

	/**
	 * The authorities of a kind that relying parties trust: prepared, active and
	 * retiring, by generation.
	 */
	private static List<X509Certificate> trusted(List<AuthorityEntity> all, AuthorityEntity.Kind kind) {
		return all.stream()
			.filter((authority) -> authority.getKind() == kind
					&& (authority.getStatus() == AuthorityEntity.Status.ACTIVE
							|| authority.getStatus() == AuthorityEntity.Status.PREPARED
							|| authority.getStatus() == AuthorityEntity.Status.RETIRING))
			.sorted(java.util.Comparator.comparingInt(AuthorityEntity::getGeneration))
			.map((authority) -> Pem.readCertificate(authority.getCertificatePem()))
			.toList();
	}

	private Hierarchy create() {
		List<AuthorityEntity> all = new ArrayList<>();
		AuthorityEntity root = createRoot(all);
		root.moveTo(AuthorityEntity.Status.ACTIVE);
		AuthorityEntity intermediate = createIntermediate(all, root);
		intermediate.moveTo(AuthorityEntity.Status.ACTIVE);
		this.authorities.flush();
		this.audit.record(AuditLog.SYSTEM, "authority.created", root.getId(),
				"root " + root.getSerialNumber() + ", intermediate " + intermediate.getSerialNumber()
						+ ", trust domain " + this.properties.trustDomain());
		logger.info("Created a new CA hierarchy for trust domain {}", this.properties.trustDomain());
		return load();
	}

	private AuthorityEntity save(String id, AuthorityEntity.Kind kind, int generation, String parentId,
			X509Certificate certificate, PrivateKey key) {
		String reference = this.keys.keep(id, kind, certificate, key);
		return this.authorities
			.save(new AuthorityEntity(id, kind, generation, parentId, certificate.getSubjectX500Principal().getName(),
					SerialNumbers.toHex(certificate.getSerialNumber()), KeyType.of(certificate.getPublicKey()).id(),
					Pem.write(certificate), this.keys.current().id(), reference, certificate.getNotBefore().toInstant(),
					certificate.getNotAfter().toInstant(), this.clock.instant()));
	}

	@Override
	public SignedCertificate sign(CertificateProfile.Leaf profile, PublicKey subjectKey) {
		Hierarchy current = current();
		X509Certificate certificate = this.signer.sign(profile, subjectKey, current.intermediate(),
				this.urls.forLeaf(current.intermediate().certificate()));
		return new SignedCertificate(certificate, List.of(certificate, current.intermediate().certificate()),
				current.intermediateId(), current.activeRoot());
	}

	@Override
	public List<X509Certificate> trustAnchors() {
		return current().roots();
	}

	@Override
	public X509Certificate activeRoot() {
		return current().activeRoot();
	}

	@Override
	public X509Certificate activeIntermediate() {
		return current().intermediate().certificate();
	}

	@Override
	public List<X509Certificate> validIntermediates() {
		return current().intermediates();
	}

	@Override
	public List<Issuer> issuers() {
		return current().issuers();
	}

	@Override
	public CaCredential credential(String issuerId) {
		AuthorityEntity authority = this.transactions.execute((status) -> this.authorities.findById(issuerId))
			.filter((found) -> found.getStatus() != AuthorityEntity.Status.RETIRED
					&& found.getStatus() != AuthorityEntity.Status.REVOKED)
			.orElseThrow(() -> new IllegalStateException("Authority " + issuerId + " does not sign any more"));
		return this.keys.credential(authority);
	}

	@Override
	public long bundleSequence() {
		return current().sequence();
	}

	@Override
	public Duration bundleRefreshHint() {
		return refreshHint(this.properties.ca().intermediateTtl());
	}

	/**
	 * A tenth of the publication lead, so that a peer reads a new authority several times
	 * before anything chains to it, within [1 s, 5 min]: compressed test lifetimes still
	 * get a useful hint, and year-long ones no hint of days.
	 */
	static Duration refreshHint(Duration intermediateTtl) {
		Duration tenth = RotationPlan.publicationLead(intermediateTtl).dividedBy(10);
		if (tenth.compareTo(MAX_REFRESH_HINT) > 0) {
			return MAX_REFRESH_HINT;
		}
		return (tenth.compareTo(MIN_REFRESH_HINT) < 0) ? MIN_REFRESH_HINT : tenth;
	}

	private Hierarchy current() {
		Hierarchy current = this.hierarchy;
		if (current == null) {
			throw new IllegalStateException("The CA hierarchy is not loaded yet");
		}
		return current;
	}

	/**
	 * The hierarchy as this replica signs with it.
	 *
	 * @param roots the trusted roots (prepared, active, retiring), by generation
	 * @param activeRoot the root of the active intermediate
	 * @param intermediate the active intermediate and its key
	 * @param intermediateId its id
	 * @param intermediates the trusted intermediates (prepared, active, retiring)
	 * @param issuers every authority not retired, for revocation publishing
	 * @param sequence the bundle's sequence number ({@link #bundleSequence()})
	 */
	private record Hierarchy(List<X509Certificate> roots, X509Certificate activeRoot, CaCredential intermediate,
			String intermediateId, List<X509Certificate> intermediates, List<Issuer> issuers, long sequence) {
	}

}
