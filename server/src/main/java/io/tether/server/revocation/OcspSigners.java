package io.tether.server.revocation;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.KeyType;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.IssuingAuthorities;
import io.tether.server.authority.IssuingAuthorities.Issuer;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The delegated OCSP signers of this replica (RFC 6960 4.2.2.2): one per authority, a
 * fresh key that lives only in memory, certified by the authority for OCSP signing only,
 * short-lived and replaced at half its life. The authority's own key stays sealed;
 * nothing revokes a signer, so its life bounds the harm of a leaked one. An authority's
 * signer ends with it: a new authority gets its own.
 */
@Component
class OcspSigners {

	private final IssuingAuthorities authorities;

	private final AuditLog audit;

	private final TetherProperties.Revocation settings;

	private final Clock clock;

	private final SecureRandom random;

	private final CertificateSigner signer;

	private final TransactionTemplate transactions;

	private final Map<String, OcspSigner> signers = new ConcurrentHashMap<>();

	OcspSigners(IssuingAuthorities authorities, AuditLog audit, PlatformTransactionManager transactionManager,
			TetherProperties properties, Clock clock, SecureRandom random) {
		this.authorities = authorities;
		this.audit = audit;
		this.transactions = new TransactionTemplate(transactionManager);
		this.settings = properties.revocation();
		this.clock = clock;
		this.random = random;
		this.signer = new CertificateSigner(clock, random);
	}

	/**
	 * The current signer for an authority, made when it has none or its signer is half
	 * way through its life.
	 * @param issuer an authority that answers for what it signed
	 * @return its signer
	 */
	OcspSigner signerFor(Issuer issuer) {
		OcspSigner current = this.signers.get(issuer.id());
		if (current != null && this.clock.instant().isBefore(current.renewAt())) {
			return current;
		}
		return this.signers.compute(issuer.id(),
				(id, existing) -> (existing != null && this.clock.instant().isBefore(existing.renewAt())) ? existing
						: create(issuer));
	}

	/**
	 * Forgets the signers of authorities that no longer answer.
	 */
	void retain(java.util.Collection<String> issuerIds) {
		this.signers.keySet().retainAll(issuerIds);
	}

	private OcspSigner create(Issuer issuer) {
		KeyPair keys = KeyType.EC_P256.generate(this.random);
		X509Certificate certificate = this.signer.sign(
				new CertificateProfile.OcspSigner("Tether OCSP Responder " + issuer.kind() + " G" + issuer.generation(),
						"Tether", this.settings.ocspSignerTtl()),
				keys.getPublic(), this.authorities.credential(issuer.id()));
		Instant renewAt = CertificateSigner.pointInLife(certificate, 0.5);
		this.transactions.executeWithoutResult((status) -> this.audit.record(AuditLog.SYSTEM, "ocsp-signer.issued",
				SerialNumbers.toHex(certificate.getSerialNumber()),
				"OCSP signing certificate for " + issuer.kind() + " generation " + issuer.generation()
						+ ", valid until " + certificate.getNotAfter().toInstant()));
		return new OcspSigner(certificate, keys, issuer.certificate(), renewAt);
	}

	/**
	 * A delegated signer.
	 *
	 * @param certificate its certificate, issued by the authority
	 * @param keys its keys
	 * @param issuer the authority's certificate, sent along so that relying parties can
	 * build the chain
	 * @param renewAt when this replica replaces it
	 */
	record OcspSigner(X509Certificate certificate, KeyPair keys, X509Certificate issuer, Instant renewAt) {

		Duration remaining(Instant now) {
			return Duration.between(now, this.certificate.getNotAfter().toInstant());
		}

	}

}
