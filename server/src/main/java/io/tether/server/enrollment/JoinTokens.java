package io.tether.server.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

import io.tether.api.ProblemType;
import io.tether.pki.Thumbprints;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.identity.AgentNames;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Creates and consumes one-time join tokens. A token reads
 * {@code tj1.<id>.<secret>.<root-sha256>}: the id finds the record, the secret proves
 * possession (only its SHA-256 is stored), and the root CA's SHA-256 fingerprint lets the
 * agent pin the CA on first contact, as
 * {@code kubeadm join --discovery-token-ca-cert-hash} does.
 */
@Service
public class JoinTokens {

	static final String PREFIX = "tj1";

	static final Duration MAX_TTL = Duration.ofDays(7);

	private final JoinTokenRepository tokens;

	private final CertificateAuthority authority;

	private final AuditLog audit;

	private final Clock clock;

	private final SecureRandom random;

	JoinTokens(JoinTokenRepository tokens, CertificateAuthority authority, AuditLog audit, Clock clock,
			SecureRandom random) {
		this.tokens = tokens;
		this.authority = authority;
		this.audit = audit;
		this.clock = clock;
		this.random = random;
	}

	record Created(String token, String agent, Instant expiresAt) {
	}

	@Transactional
	Created create(String agentName, Duration ttl, String createdBy) {
		AgentNames.validate(agentName);
		if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
			throw new ApiException(ProblemType.TTL_OUT_OF_RANGE,
					"A join token lives between 1 second and " + MAX_TTL.toDays() + " days; asked for " + ttl);
		}
		byte[] idBytes = new byte[12];
		byte[] secret = new byte[32];
		this.random.nextBytes(idBytes);
		this.random.nextBytes(secret);
		String id = HexFormat.of().formatHex(idBytes);
		String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(ttl);
		this.tokens.save(new JoinTokenEntity(id, agentName, hash(secretText), createdBy, now, expiresAt));
		this.audit.record(createdBy, "join-token.created", id, "agent=" + agentName + " expiresAt=" + expiresAt);
		return new Created(String.join(".", PREFIX, id, secretText, rootFingerprint()), agentName, expiresAt);
	}

	/**
	 * Consumes a token in the caller's transaction: if enrollment fails later, the token
	 * is unused again.
	 * @return the agent name the token was made for
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public String consume(String token) {
		// -1: a token with dots after it is another text, not the token
		String[] parts = (token != null) ? token.strip().split("\\.", -1) : new String[0];
		if (parts.length != 4 || !PREFIX.equals(parts[0])) {
			throw invalid("The join token is malformed: expected tj1.<id>.<secret>.<root-sha256> from "
					+ "'tether token create' or POST /v1/join-tokens");
		}
		JoinTokenEntity entity = this.tokens.findById(parts[1])
			.orElseThrow(() -> invalid("The join token is unknown to this CA"));
		if (!MessageDigest.isEqual(entity.getSecretHash().getBytes(StandardCharsets.US_ASCII),
				hash(parts[2]).getBytes(StandardCharsets.US_ASCII))) {
			throw invalid("The join token is unknown to this CA");
		}
		if (!parts[3].equals(rootFingerprint())) {
			throw invalid("The join token pins another root CA than this server's");
		}
		if (entity.getUsedAt() != null) {
			throw invalid("The join token was already used at " + entity.getUsedAt() + "; create a new one");
		}
		Instant now = this.clock.instant();
		if (!entity.getExpiresAt().isAfter(now)) {
			throw invalid("The join token expired at " + entity.getExpiresAt() + "; create a new one");
		}
		if (this.tokens.consume(entity.getId(), now) != 1) {
			throw invalid("The join token was used by another enrollment at the same time");
		}
		return entity.getAgentName();
	}

	/**
	 * Deletes the tokens that expired before an instant, used or not: past their expiry
	 * they can enroll nothing, and the audit log keeps their history.
	 * @return how many were deleted
	 */
	@Transactional
	int purgeExpiredBefore(Instant before) {
		int purged = this.tokens.deleteExpiredBefore(before);
		if (purged > 0) {
			this.audit.record(AuditLog.SYSTEM, "join-token.purged", null,
					"count=" + purged + " expiredBefore=" + before);
		}
		return purged;
	}

	private String rootFingerprint() {
		return Thumbprints.sha256Hex(this.authority.activeRoot());
	}

	private static String hash(String secret) {
		return Thumbprints.sha256Hex(secret.getBytes(StandardCharsets.US_ASCII));
	}

	private static ApiException invalid(String detail) {
		return new ApiException(ProblemType.INVALID_JOIN_TOKEN, detail);
	}

}
