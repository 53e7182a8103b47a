package io.tether.server.revocation;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.tether.pki.CryptoProviders;
import io.tether.pki.Crls;
import io.tether.pki.KeyType;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.authority.IssuingAuthorities;
import io.tether.server.authority.IssuingAuthorities.Issuer;
import io.tether.server.certificate.Certificates;
import io.tether.server.revocation.OcspSigners.OcspSigner;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The OCSP responder (RFC 6960, with the RFC 5019 profile's caching): answers
 * {@code good}, {@code revoked} (with time and reason) or {@code unknown} for each
 * certificate asked about, signed by the delegated signer of the authority that issued
 * it. A certificate this CA has no record of, or one of another CA, is {@code unknown}.
 * <p>
 * Answers to a single question without a nonce, about a certificate this CA issued, are
 * cached until half their validity has passed; a revocation drops the whole cache when it
 * commits (on this replica at once, on the others within
 * {@code tether.revocation.sync-interval}), so that the next request hears it. A request
 * with a nonce (RFC 8954: 1 to 32 octets) gets a fresh answer that echoes it. Up to
 * {@value #MAX_QUESTIONS} certificates of one issuer may be asked about at once. Anything
 * unparseable, an unsupported hash algorithm, or questions about certificates of
 * different issuers (one of them perhaps not Tether's) is a {@code malformedRequest}.
 */
@Component
class OcspResponder {

	static final int MAX_QUESTIONS = 16;

	/** About a kilobyte each (the answer carries two certificates): 100 MB at most. */
	private static final int MAX_CACHED = 100_000;

	private static final int MAX_NONCE = 32;

	private static final Logger logger = LoggerFactory.getLogger(OcspResponder.class);

	private final IssuingAuthorities authorities;

	private final OcspSigners signers;

	private final Certificates certificates;

	private final TetherProperties.Revocation settings;

	private final Clock clock;

	private final DigestCalculatorProvider digests;

	private final Map<String, Cached> cache = new ConcurrentHashMap<>();

	private final AtomicLong generation = new AtomicLong();

	private volatile IssuerIndex index = new IssuerIndex(List.of(), Map.of());

	private final RevocationMetrics metrics;

	OcspResponder(IssuingAuthorities authorities, OcspSigners signers, Certificates certificates,
			TetherProperties properties, Clock clock, RevocationMetrics metrics) {
		this.authorities = authorities;
		this.metrics = metrics;
		this.signers = signers;
		this.certificates = certificates;
		this.settings = properties.revocation();
		this.clock = clock;
		try {
			this.digests = new JcaDigestCalculatorProviderBuilder().build();
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException("No digest calculators: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Answers an OCSP request.
	 * @param der the DER of the request
	 * @return the DER of the response: successful, or an error status; never an exception
	 */
	byte[] respond(byte[] der) {
		Questions request;
		try {
			request = decode(der);
		}
		catch (MalformedRequest ex) {
			this.metrics.ocspResponse(RevocationMetrics.MALFORMED);
			return error(OCSPRespBuilder.MALFORMED_REQUEST);
		}
		catch (RuntimeException ex) {
			logger.warn("OCSP request failed: {}", ex.toString());
			this.metrics.ocspResponse(RevocationMetrics.ERROR);
			return error(OCSPRespBuilder.INTERNAL_ERROR);
		}
		try {
			return answer(request);
		}
		catch (MalformedRequest ex) {
			this.metrics.ocspResponse(RevocationMetrics.MALFORMED);
			return error(OCSPRespBuilder.MALFORMED_REQUEST);
		}
		catch (DataAccessException ex) {
			logger.warn("OCSP request answered tryLater: the database is unavailable ({})", ex.getMessage());
			this.metrics.ocspResponse(RevocationMetrics.ERROR);
			return error(OCSPRespBuilder.TRY_LATER);
		}
		catch (RuntimeException | OCSPException | IOException | OperatorCreationException
				| CertificateEncodingException ex) {
			logger.warn("OCSP request failed: {}", ex.toString());
			this.metrics.ocspResponse(RevocationMetrics.ERROR);
			return error(OCSPRespBuilder.INTERNAL_ERROR);
		}
	}

	/**
	 * Decodes an OCSP request down to what {@link #respond} reads of it: 1 to
	 * {@value #MAX_QUESTIONS} questions, each naming its issuer by a SHA-1 or SHA-256
	 * hash, and a nonce of 1 to 32 octets if there is one. The one place that reads
	 * untrusted bytes, kept apart so that it can be fuzzed
	 * ({@code OcspRequestsFuzzTest}).
	 * @param der the DER of the request
	 * @return the questions and the nonce
	 * @throws MalformedRequest for anything else; no other exception for any input
	 */
	static Questions decode(byte[] der) throws MalformedRequest {
		OCSPReq request;
		try {
			request = new OCSPReq(der);
		}
		catch (IOException | RuntimeException ex) {
			throw new MalformedRequest();
		}
		// BouncyCastle decodes the questions and the extensions only when they are read:
		// a malformed part fails here, not in the constructor
		try {
			Req[] questions = request.getRequestList();
			if (questions.length == 0 || questions.length > MAX_QUESTIONS) {
				throw new MalformedRequest();
			}
			Extension nonce = request.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
			if (nonce != null) {
				checkNonce(nonce);
			}
			List<CertificateID> ids = new ArrayList<>();
			for (Req question : questions) {
				CertificateID id = question.getCertID();
				ASN1ObjectIdentifier algorithm = id.getHashAlgOID();
				if (!algorithm.equals(CertificateID.HASH_SHA1.getAlgorithm())
						&& !algorithm.equals(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)) {
					throw new MalformedRequest();
				}
				ids.add(id);
			}
			return new Questions(List.copyOf(ids), nonce);
		}
		catch (RuntimeException ex) {
			throw new MalformedRequest();
		}
	}

	/**
	 * What an OCSP request asks.
	 *
	 * @param ids the certificates asked about, at least one
	 * @param nonce the nonce extension, or {@code null}
	 */
	record Questions(List<CertificateID> ids, Extension nonce) {
	}

	/**
	 * Drops every cached answer: a certificate was revoked.
	 */
	void invalidate() {
		this.generation.incrementAndGet();
		this.cache.clear();
	}

	private byte[] answer(Questions request) throws MalformedRequest, OCSPException, IOException,
			OperatorCreationException, CertificateEncodingException {
		List<CertificateID> questions = request.ids();
		Extension nonce = request.nonce();
		String cacheKey = (questions.size() == 1 && nonce == null) ? cacheKey(questions.get(0)) : null;
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		if (cacheKey != null) {
			Cached cached = this.cache.get(cacheKey);
			if (cached != null && now.isBefore(cached.refreshAt())) {
				this.metrics.ocspResponse(cached.status());
				return cached.der();
			}
		}
		long generationAtStart = this.generation.get();
		IssuerIndex issuers = issuers();
		Issuer issuer = issuers.find(questions.get(0));
		for (CertificateID question : questions) {
			if (issuers.find(question) != issuer) {
				// questions about certificates of different issuers, Tether's or not
				throw new MalformedRequest();
			}
		}
		Issuer responding = (issuer != null) ? issuer : issuers.fallback();
		if (responding == null) {
			this.metrics.ocspResponse(RevocationMetrics.ERROR);
			return error(OCSPRespBuilder.TRY_LATER);
		}
		OcspSigner signer = this.signers.signerFor(responding);
		Instant nextUpdate = now.plus(this.settings.ocspValidity());
		Instant signerEnd = signer.certificate().getNotAfter().toInstant();
		if (nextUpdate.isAfter(signerEnd)) {
			nextUpdate = signerEnd;
		}
		DigestCalculator sha1 = this.digests.get(CertificateID.HASH_SHA1);
		BasicOCSPRespBuilder builder = new BasicOCSPRespBuilder(
				new RespID(SubjectPublicKeyInfo.getInstance(signer.keys().getPublic().getEncoded()), sha1));
		boolean known = true;
		boolean revoked = false;
		for (CertificateID id : questions) {
			CertificateStatus status = status(id, issuer);
			known &= !(status instanceof UnknownStatus);
			revoked |= status instanceof RevokedStatus;
			builder.addResponse(id, status, Date.from(now), Date.from(nextUpdate), null);
		}
		if (nonce != null) {
			builder.setResponseExtensions(new Extensions(nonce));
		}
		ContentSigner contentSigner = new JcaContentSignerBuilder(
				KeyType.of(signer.keys().getPublic()).signatureAlgorithm())
			.setProvider(CryptoProviders.bouncyCastle())
			.build(signer.keys().getPrivate());
		X509CertificateHolder[] chain = { new JcaX509CertificateHolder(signer.certificate()),
				new JcaX509CertificateHolder(signer.issuer()) };
		OCSPResp response = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
				builder.build(contentSigner, chain, Date.from(now)));
		byte[] encoded = response.getEncoded();
		// one count per response: the worst of its answers
		String counted = revoked ? RevocationMetrics.REVOKED
				: (known ? RevocationMetrics.GOOD : RevocationMetrics.UNKNOWN);
		// unknown answers are not cached: a stream of made-up serials must not fill the
		// cache
		if (cacheKey != null && known) {
			Instant refreshAt = now.plus(java.time.Duration.between(now, nextUpdate).dividedBy(2));
			if (this.cache.size() >= MAX_CACHED) {
				this.cache.clear();
			}
			this.cache.put(cacheKey, new Cached(encoded, refreshAt, counted));
			if (this.generation.get() != generationAtStart) {
				// a revocation committed while this answer was made: it may be stale
				this.cache.remove(cacheKey);
			}
		}
		this.metrics.ocspResponse(counted);
		return encoded;
	}

	private CertificateStatus status(CertificateID id, Issuer issuer) {
		if (issuer == null) {
			return new UnknownStatus();
		}
		Optional<Certificates.State> state = this.certificates.state(SerialNumbers.toHex(id.getSerialNumber()));
		if (state.isEmpty() || !state.get().issuerId().equals(issuer.id())) {
			Issuer child = intermediate(id.getSerialNumber(), issuer).orElse(null);
			if (child == null) {
				return new UnknownStatus();
			}
			// BouncyCastle's GOOD is null, so no Optional of a status
			return child.answers() ? CertificateStatus.GOOD : revoked(
					(child.revokedAt() != null) ? child.revokedAt() : this.clock.instant(), CRLReason.cACompromise);
		}
		Certificates.State found = state.get();
		if (!found.revoked()) {
			return CertificateStatus.GOOD;
		}
		return revoked(found.revokedAt(), Crls.reasonCode(found.reason()));
	}

	/**
	 * A root answers for the intermediates it signed, from the hierarchy.
	 */
	private Optional<Issuer> intermediate(BigInteger serial, Issuer root) {
		if (!"root".equals(root.kind())) {
			return Optional.empty();
		}
		return this.authorities.issuers()
			.stream()
			.filter((child) -> root.id().equals(child.parentId())
					&& child.certificate().getSerialNumber().equals(serial))
			.findFirst();
	}

	private static CertificateStatus revoked(Instant at, int reason) {
		// RFC 5280 5.3.1: no reason code rather than unspecified
		return (reason == CRLReason.unspecified)
				? new RevokedStatus(new RevokedInfo(new ASN1GeneralizedTime(Date.from(at)), null))
				: new RevokedStatus(Date.from(at), reason);
	}

	private static void checkNonce(Extension nonce) throws MalformedRequest {
		byte[] value = nonce.getExtnValue().getOctets();
		int length;
		try {
			length = ASN1OctetString.getInstance(value).getOctets().length;
		}
		catch (IllegalArgumentException ex) {
			// some clients put the nonce in the extension value without the OCTET STRING
			length = value.length;
		}
		if (length < 1 || length > MAX_NONCE) {
			throw new MalformedRequest();
		}
	}

	private String cacheKey(CertificateID id) {
		HexFormat hex = HexFormat.of();
		return id.getHashAlgOID().getId() + ":" + hex.formatHex(id.getIssuerNameHash()) + ":"
				+ hex.formatHex(id.getIssuerKeyHash()) + ":" + id.getSerialNumber().toString(16);
	}

	/**
	 * The issuers by the hashes an OCSP request names them with (SHA-1 and SHA-256),
	 * rebuilt when the hierarchy changes.
	 */
	private IssuerIndex issuers() throws OCSPException, OperatorCreationException, CertificateEncodingException {
		List<Issuer> current = this.authorities.issuers();
		IssuerIndex known = this.index;
		if (known.issuers() == current) {
			return known;
		}
		Map<String, Issuer> byHash = new ConcurrentHashMap<>();
		for (Issuer issuer : current) {
			if (!issuer.answers()) {
				continue;
			}
			X509CertificateHolder holder = new JcaX509CertificateHolder(issuer.certificate());
			for (ASN1ObjectIdentifier algorithm : List.of(CertificateID.HASH_SHA1.getAlgorithm(),
					org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)) {
				CertificateID id = new CertificateID(
						this.digests.get(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(algorithm)), holder,
						BigInteger.ONE);
				byHash.put(IssuerIndex.key(algorithm, id.getIssuerNameHash(), id.getIssuerKeyHash()), issuer);
			}
		}
		IssuerIndex rebuilt = new IssuerIndex(current, Map.copyOf(byHash));
		this.index = rebuilt;
		// an authority changed state (an emergency rotation revokes one): answers about
		// it and what it signed may have changed
		invalidate();
		this.signers.retain(current.stream().filter(Issuer::answers).map(Issuer::id).toList());
		return rebuilt;
	}

	private static byte[] error(int status) {
		try {
			return new OCSPRespBuilder().build(status, null).getEncoded();
		}
		catch (IOException | OCSPException ex) {
			throw new IllegalStateException("An OCSP error response cannot be encoded", ex);
		}
	}

	private record Cached(byte[] der, Instant refreshAt, String status) {
	}

	private record IssuerIndex(List<Issuer> issuers, Map<String, Issuer> byHash) {

		static String key(ASN1ObjectIdentifier algorithm, byte[] nameHash, byte[] keyHash) {
			HexFormat hex = HexFormat.of();
			return algorithm.getId() + ":" + hex.formatHex(nameHash) + ":" + hex.formatHex(keyHash);
		}

		/**
		 * The issuer a question names; {@link #decode} let only SHA-1 and SHA-256
		 * through.
		 */
		Issuer find(CertificateID id) {
			return this.byHash.get(key(id.getHashAlgOID(), id.getIssuerNameHash(), id.getIssuerKeyHash()));
		}

		/**
		 * Who signs {@code unknown} for a certificate of no authority here: the active
		 * intermediate.
		 */
		Issuer fallback() {
			return this.issuers.stream()
				.filter((issuer) -> "intermediate".equals(issuer.kind()) && "active".equals(issuer.status()))
				.findFirst()
				.orElse(null);
		}

	}

	static final class MalformedRequest extends Exception {

		private static final long serialVersionUID = 1L;

		MalformedRequest() {
			super(null, null, false, false);
		}

	}

}
