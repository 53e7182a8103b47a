package io.tether.server.authority;

import java.security.cert.X509Certificate;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.tether.api.AuthorityView;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.Thumbprints;
import io.tether.server.TetherProperties;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Read-only view of the CA hierarchy (never the sealed keys), for operators.
 */
@Service
public class Authorities {

	private final AuthorityRepository authorities;

	private final TetherProperties properties;

	private final RevocationUrls urls;

	Authorities(AuthorityRepository authorities, TetherProperties properties, RevocationUrls urls) {
		this.authorities = authorities;
		this.properties = properties;
		this.urls = urls;
	}

	/**
	 * Every CA certificate of the hierarchy, roots first, then by generation, each with
	 * its next transition.
	 * @return the authorities
	 */
	@Transactional(readOnly = true)
	public List<AuthorityView> all() {
		List<AuthorityEntity> all = this.authorities.findAll();
		List<RotationPlan.Node> nodes = all.stream().map(AuthorityEntity::node).toList();
		return all.stream()
			.sorted(Comparator.comparing(AuthorityEntity::getKind).thenComparing(AuthorityEntity::getGeneration))
			.map((entity) -> view(entity,
					RotationPlan.nextTransition(entity.node(), nodes, this.properties.ca().intermediateTtl())))
			.toList();
	}

	private AuthorityView view(AuthorityEntity entity, Optional<RotationPlan.Transition> next) {
		X509Certificate certificate = Pem.readCertificate(entity.getCertificatePem());
		return new AuthorityView(entity.getId(), entity.getKind().name().toLowerCase(Locale.ROOT),
				entity.getGeneration(), certificate.getSubjectX500Principal().getName(),
				SerialNumbers.toHex(certificate.getSerialNumber()), entity.getKeyType(), entity.getKeyStore(),
				certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(),
				entity.getStatus().name().toLowerCase(Locale.ROOT),
				next.map(RotationPlan.Transition::state).orElse(null),
				next.map(RotationPlan.Transition::at).orElse(null), entity.getParentId(),
				Thumbprints.sha256Hex(certificate),
				KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(certificate)),
				this.urls.crlUrl(certificate).orElse(null), entity.getRevokedAt(), entity.getCertificatePem());
	}

}
