package io.tether.pki;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import javax.security.auth.x500.X500Principal;

/**
 * What kind of certificate to build and for how long. Tether builds three kinds:
 * <ul>
 * <li>{@link Root}: a self-signed CA;</li>
 * <li>{@link Intermediate}: a CA under the root that may sign only leaves (pathLen
 * 0);</li>
 * <li>{@link Leaf}: a workload, agent or admin certificate carrying one SPIFFE ID as its
 * only URI SAN, plus DNS names when the workload serves TLS.</li>
 * </ul>
 * and, to answer OCSP requests for a CA, {@link OcspSigner}. The extensions each kind
 * gets are fixed by {@link CertificateSigner}; profiles only carry what varies.
 */
public sealed interface CertificateProfile {

	/**
	 * How long the certificate should be valid; the signer caps it at the issuer's
	 * {@code notAfter}.
	 * @return the requested lifetime
	 */
	Duration validity();

	/**
	 * A self-signed root CA.
	 *
	 * @param commonName the CN of the subject, for example {@code Tether Root CA}
	 * @param organization the O of the subject
	 * @param validity how long it is valid
	 */
	record Root(String commonName, String organization, Duration validity) implements CertificateProfile {

		/**
		 * Validates the profile.
		 * @param commonName the subject CN
		 * @param organization the subject O
		 * @param validity the lifetime
		 */
		public Root {
			requireText(commonName, "commonName");
			requireText(organization, "organization");
			requirePositive(validity);
		}

	}

	/**
	 * An intermediate CA that signs only end-entity certificates (pathLenConstraint 0).
	 *
	 * @param commonName the CN of the subject
	 * @param organization the O of the subject
	 * @param validity how long it is valid
	 */
	record Intermediate(String commonName, String organization, Duration validity) implements CertificateProfile {

		/**
		 * Validates the profile.
		 * @param commonName the subject CN
		 * @param organization the subject O
		 * @param validity the lifetime
		 */
		public Intermediate {
			requireText(commonName, "commonName");
			requireText(organization, "organization");
			requirePositive(validity);
		}

	}

	/**
	 * An end-entity certificate for a SPIFFE ID. It gets EKU clientAuth, and serverAuth
	 * as well when it has DNS names.
	 *
	 * @param spiffeId the SPIFFE ID, the only URI SAN
	 * @param dnsNames DNS SANs, possibly empty
	 * @param validity how long it is valid
	 * @param subject the subject DN: {@link LeafSubjects#defaultFor} the SPIFFE ID unless
	 * a registration entry sets one
	 */
	record Leaf(SpiffeId spiffeId, List<String> dnsNames, Duration validity,
			X500Principal subject) implements CertificateProfile {

		/**
		 * Validates the profile and copies the DNS names.
		 * @param spiffeId the SPIFFE ID
		 * @param dnsNames the DNS names
		 * @param validity the lifetime
		 * @param subject the subject DN
		 */
		public Leaf {
			Objects.requireNonNull(spiffeId, "'spiffeId' must not be null");
			dnsNames = List.copyOf(Objects.requireNonNull(dnsNames, "'dnsNames' must not be null"));
			requirePositive(validity);
			Objects.requireNonNull(subject, "'subject' must not be null");
		}

		/**
		 * A leaf with the subject the default rule gives its SPIFFE ID
		 * ({@link LeafSubjects#defaultFor}).
		 * @param spiffeId the SPIFFE ID
		 * @param dnsNames the DNS names
		 * @param validity the lifetime
		 */
		public Leaf(SpiffeId spiffeId, List<String> dnsNames, Duration validity) {
			this(spiffeId, dnsNames, validity,
					LeafSubjects.defaultFor(Objects.requireNonNull(spiffeId, "'spiffeId' must not be null")));
		}

	}

	/**
	 * A delegated OCSP responder certificate (RFC 6960 4.2.2.2): signs OCSP answers for
	 * its issuer's certificates and nothing else (EKU {@code id-kp-OCSPSigning}, key
	 * usage digitalSignature), and carries {@code id-pkix-ocsp-nocheck}, so that relying
	 * parties do not ask about the responder itself. Keep it short-lived: nothing revokes
	 * it.
	 *
	 * @param commonName the CN of the subject
	 * @param organization the O of the subject
	 * @param validity how long it is valid
	 */
	record OcspSigner(String commonName, String organization, Duration validity) implements CertificateProfile {

		/**
		 * Validates the profile.
		 * @param commonName the subject CN
		 * @param organization the subject O
		 * @param validity the lifetime
		 */
		public OcspSigner {
			requireText(commonName, "commonName");
			requireText(organization, "organization");
			requirePositive(validity);
		}

	}

	private static void requireText(String value, String name) {
		if (value == null || value.isBlank()) {
			throw new IllegalArgumentException("'" + name + "' must not be empty");
		}
	}

	private static void requirePositive(Duration validity) {
		if (validity == null || validity.isNegative() || validity.isZero()) {
			throw new IllegalArgumentException("'validity' must be positive");
		}
	}

}
