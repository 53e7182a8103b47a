package io.tether.server.operator;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import io.tether.api.ProblemType;
import io.tether.pki.CertificateProfile;
import io.tether.pki.Csr;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;
import io.tether.server.certificate.Revocations;
import io.tether.server.identity.TetherIds;
import io.tether.server.security.OperatorAuthenticator;
import io.tether.server.security.Role;
import io.tether.server.web.ApiException;
import io.tether.server.web.RequestFields;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Named operators: created by an admin with a role and a one-time enrollment token,
 * enrolled with that token and a CSR for a key born on the operator's machine, renewed
 * with their current certificate, revoked with every certificate they hold. Also tells
 * {@link io.tether.server.security.RequiresRole} who a caller is and what role they hold,
 * the bootstrap admin (role admin until {@code tether.admin.retired}) included.
 * <p>
 * A token reads {@code to1.<name>.<secret>.<root-sha256>}, like a join token: the name
 * finds the operator, only the SHA-256 of the secret is stored, and the root's
 * fingerprint lets {@code tether login} pin the CA on first contact.
 */
@Service
class Operators implements OperatorAuthenticator {

	static final String PREFIX = "to1";

	/** No dots (the token's separator); never {@link AuditLog#SYSTEM}. */
	private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

	private final OperatorRepository operators;

	private final CertificateIssuer issuer;

	private final CertificateAuthority authority;

	private final Revocations revocations;

	private final AuditLog audit;

	private final TetherProperties properties;

	private final Clock clock;

	private final SecureRandom random;

	Operators(OperatorRepository operators, CertificateIssuer issuer, CertificateAuthority authority,
			Revocations revocations, AuditLog audit, TetherProperties properties, Clock clock, SecureRandom random) {
		this.operators = operators;
		this.issuer = issuer;
		this.authority = authority;
		this.revocations = revocations;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.random = random;
	}

	record Created(OperatorEntity operator, String token) {
	}

	record Enrolled(OperatorEntity operator, SignedCertificate signed) {
	}

	record Revoked(OperatorEntity operator, int certificates) {
	}

	@Transactional
	Created create(String name, String roleId, String caller) {
		validateName(name);
		Role role = Role.parse(roleId);
		if (role == null) {
			throw new ApiException(ProblemType.BAD_REQUEST,
					"'role' must be one of admin, operator, auditor; got '" + roleId + "'");
		}
		if (this.operators.existsById(name)) {
			throw new ApiException(ProblemType.CONFLICT,
					"An operator named '" + name + "' exists (or existed: names are never reused)");
		}
		String secret = secret();
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.operators().tokenTtl());
		OperatorEntity operator = this.operators
			.save(new OperatorEntity(name, role, caller, now, hash(secret), expiresAt));
		this.audit.record(caller, "operator.created", name, "role=" + role.id() + " tokenExpiresAt=" + expiresAt);
		return new Created(operator, token(name, secret));
	}

	/**
	 * A new one-time enrollment token for an active operator (a new machine, a lost key,
	 * a certificate that expired): enrolling with it revokes the certificates the
	 * operator held before, so a lost machine's certificate ends when its owner enrolls
	 * again.
	 */
	@Transactional
	Created newToken(String name, String caller) {
		OperatorEntity operator = this.operators.findForUpdateByName(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No operator named '" + name + "'"));
		if (operator.getState() == OperatorEntity.State.REVOKED) {
			throw new ApiException(ProblemType.CONFLICT,
					"Operator '" + name + "' was revoked at " + operator.getRevokedAt() + "; create a new operator");
		}
		String secret = secret();
		Instant expiresAt = this.clock.instant().plus(this.properties.operators().tokenTtl());
		operator.newToken(hash(secret), expiresAt);
		this.operators.save(operator);
		this.audit.record(caller, "operator.token-created", name, "tokenExpiresAt=" + expiresAt);
		return new Created(operator, token(name, secret));
	}

	private String secret() {
		byte[] secret = new byte[32];
		this.random.nextBytes(secret);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
	}

	private String token(String name, String secret) {
		return String.join(".", PREFIX, name, secret, rootFingerprint());
	}

	@Transactional(readOnly = true)
	List<OperatorEntity> list() {
		return this.operators.findAllByOrderByNameAsc();
	}

	@Transactional(readOnly = true)
	OperatorEntity get(String name) {
		return this.operators.findById(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No operator named '" + name + "'"));
	}

	/**
	 * Revokes an operator and every certificate issued for it, in one transaction: its
	 * next call is refused, whichever certificate it presents.
	 */
	@Transactional
	Revoked revoke(String name, String caller) {
		OperatorEntity operator = this.operators.findForUpdateByName(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_FOUND, "No operator named '" + name + "'"));
		if (operator.getState() == OperatorEntity.State.REVOKED) {
			throw new ApiException(ProblemType.CONFLICT,
					"Operator '" + name + "' was already revoked at " + operator.getRevokedAt());
		}
		if (name.equals(caller)) {
			// so that the last admin cannot lock everyone out by mistake
			throw new ApiException(ProblemType.CONFLICT,
					"Operator '" + name + "' cannot revoke itself; ask another admin");
		}
		operator.revoke(caller, this.clock.instant());
		this.operators.save(operator);
		int certificates = this.revocations.revokeAllIssuedFor(spiffeId(name).toString(), "privilegeWithdrawn", caller);
		this.audit.record(caller, "operator.revoked", name, "revokedCertificates=" + certificates);
		return new Revoked(operator, certificates);
	}

	/**
	 * Consumes an enrollment token and issues the operator's first certificate, in one
	 * transaction: a refused CSR leaves the token unused.
	 */
	@Transactional
	Enrolled enroll(String token, Csr csr) {
		// -1: a token with dots after it is another text, not the token
		String[] parts = (token != null) ? token.strip().split("\\.", -1) : new String[0];
		if (parts.length != 4 || !PREFIX.equals(parts[0])) {
			throw invalid("The enrollment token is malformed: expected to1.<name>.<secret>.<root-sha256> from "
					+ "'tether operator add' or POST /v1/operators");
		}
		OperatorEntity operator = this.operators.findForUpdateByName(parts[1])
			.orElseThrow(() -> invalid("The enrollment token is unknown to this CA"));
		if (operator.getTokenHash() == null
				|| !MessageDigest.isEqual(operator.getTokenHash().getBytes(StandardCharsets.US_ASCII),
						hash(parts[2]).getBytes(StandardCharsets.US_ASCII))) {
			throw invalid("The enrollment token is unknown to this CA");
		}
		if (!parts[3].equals(rootFingerprint())) {
			throw invalid("The enrollment token pins another root CA than this server's");
		}
		if (operator.getState() == OperatorEntity.State.REVOKED) {
			throw invalid("Operator '" + operator.getName() + "' was revoked");
		}
		if (operator.getTokenUsedAt() != null) {
			throw invalid("The enrollment token was already used at " + operator.getTokenUsedAt()
					+ "; an admin makes a new one ('tether operator token')");
		}
		Instant now = this.clock.instant();
		if (!operator.getTokenExpiresAt().isAfter(now)) {
			throw invalid("The enrollment token expired at " + operator.getTokenExpiresAt()
					+ "; an admin makes a new one ('tether operator token')");
		}
		checkKey(csr);
		if (this.operators.consumeToken(operator.getName(), now) != 1) {
			throw invalid("The enrollment token was used by another enrollment at the same time");
		}
		// one enrollment at a time holds an operator's identity
		int superseded = this.revocations.revokeAllIssuedFor(spiffeId(operator.getName()).toString(), "superseded",
				operator.getName());
		SignedCertificate signed = issue(operator.getName(), csr);
		this.audit.record(operator.getName(), "operator.enrolled", operator.getName(),
				"role=" + operator.getRole().id() + " supersededCertificates=" + superseded);
		return new Enrolled(get(operator.getName()), signed);
	}

	/**
	 * A new certificate for the key of the one an operator presents, as
	 * {@code step ca renew} does; the interceptor has already checked the operator and
	 * the certificate.
	 */
	@Transactional
	SignedCertificate renew(String name, Csr csr, X509Certificate presented) {
		RequestFields.requireProofOfPossession(csr);
		// under the operator's lock, so that a revocation or a new enrollment committing
		// meanwhile is seen here, or waits and revokes what this issues
		OperatorEntity operator = this.operators.findForUpdateByName(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_ADMIN, "No operator named '" + name + "'"));
		if (operator.getState() == OperatorEntity.State.REVOKED) {
			throw new ApiException(ProblemType.OPERATOR_REVOKED,
					"Operator '" + name + "' was revoked at " + operator.getRevokedAt());
		}
		this.revocations.requireUnrevokedForUpdate(presented);
		if (!Arrays.equals(presented.getPublicKey().getEncoded(), csr.publicKey().getEncoded())) {
			throw new ApiException(ProblemType.KEY_MISMATCH, "The CSR's key is not the key of the operator "
					+ "certificate presented: renewal keeps the key (a new key needs a new enrollment)");
		}
		return issue(name, csr);
	}

	private SignedCertificate issue(String name, Csr csr) {
		return this.issuer.issue(
				new CertificateProfile.Leaf(spiffeId(name), List.of(), this.properties.operators().certificateTtl()),
				csr.publicKey(), name);
	}

	private void checkKey(Csr csr) {
		RequestFields.requireProofOfPossession(csr);
		if (!this.properties.issuance().keyTypes().contains(csr.keyType())) {
			throw new ApiException(ProblemType.KEY_TYPE_NOT_ALLOWED, "Key type " + csr.keyType().id()
					+ " is not allowed; allowed: " + this.properties.issuance().allowedKeyTypes());
		}
	}

	@Override
	@Transactional(readOnly = true)
	public Caller authenticate(SpiffeId id, X509Certificate certificate) {
		if (id.equals(this.properties.adminId())) {
			if (this.properties.admin().retired()) {
				throw new ApiException(ProblemType.OPERATOR_REVOKED, "The bootstrap admin is retired "
						+ "(tether.admin.retired=true); use a named operator's certificate ('tether login')");
			}
			this.revocations.requireUnrevoked(certificate, ProblemType.NOT_ADMIN);
			return new Caller(id.toString(), Role.ADMIN);
		}
		String name = TetherIds.operatorName(id, this.properties.trustDomain());
		if (name == null) {
			return null;
		}
		OperatorEntity operator = this.operators.findById(name)
			.orElseThrow(() -> new ApiException(ProblemType.NOT_ADMIN, "No operator named '" + name + "'"));
		if (operator.getState() == OperatorEntity.State.REVOKED) {
			throw new ApiException(ProblemType.OPERATOR_REVOKED,
					"Operator '" + name + "' was revoked at " + operator.getRevokedAt());
		}
		this.revocations.requireUnrevoked(certificate, ProblemType.NOT_ADMIN);
		return new Caller(name, operator.getRole());
	}

	SpiffeId spiffeId(String name) {
		return TetherIds.operator(this.properties.trustDomain(), name);
	}

	private static void validateName(String name) {
		if (name == null || !NAME.matcher(name).matches() || AuditLog.SYSTEM.equals(name)) {
			throw new ApiException(ProblemType.BAD_REQUEST, "Operator name '" + name
					+ "' must be 1 to 63 of a-z, 0-9 and '-', starting and ending with a letter or digit");
		}
	}

	private String rootFingerprint() {
		return Thumbprints.sha256Hex(this.authority.activeRoot());
	}

	private static String hash(String secret) {
		return Thumbprints.sha256Hex(secret.getBytes(StandardCharsets.US_ASCII));
	}

	private static ApiException invalid(String detail) {
		return new ApiException(ProblemType.INVALID_ENROLLMENT_TOKEN, detail);
	}

}
