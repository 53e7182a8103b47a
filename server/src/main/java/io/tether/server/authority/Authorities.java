package io.tether.server.authority;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.tether.api.AuthorityView;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only view of the CA hierarchy (never the sealed keys), for operators.
 */
@Service
public class Authorities {

	private final AuthorityRepository authorities;

	Authorities(AuthorityRepository authorities) {
		this.authorities = authorities;
	}

	/**
	 * Every CA certificate of the hierarchy, roots first, then by generation.
	 * @return the authorities
	 */
	@Transactional(readOnly = true)
	public List<AuthorityView> all() {
		return this.authorities.findAll()
			.stream()
			.sorted(Comparator.comparing(AuthorityEntity::getKind).thenComparing(AuthorityEntity::getGeneration))
			.map(Authorities::view)
			.toList();
	}

	private static AuthorityView view(AuthorityEntity entity) {
		X509Certificate certificate = Pem.readCertificate(entity.getCertificatePem());
		return new AuthorityView(entity.getId(), entity.getKind().name().toLowerCase(Locale.ROOT),
				entity.getGeneration(), certificate.getSubjectX500Principal().getName(),
				SerialNumbers.toHex(certificate.getSerialNumber()), entity.getKeyType(),
				certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
				entity.getStatus().name().toLowerCase(Locale.ROOT), Thumbprints.sha256Hex(certificate),
				entity.getCertificatePem());
	}

	/**
	 * One CA certificate as the API shows it.
	 * @param id the authority's identifier (a certificate's {@code issuerId})
	 * @param kind {@code root} or {@code intermediate}
	 * @param generation 1 for the first of its kind
	 * @param subject the subject DN
	 * @param serialNumber hex serial number
	 * @param keyType the key type
	 * @param notBefore start of validity
	 * @param notAfter end of validity
	 * @param status {@code active}
	 * @param sha256 SHA-256 fingerprint of the DER certificate, hex
	 * @param certificatePem the certificate
	 */

}
