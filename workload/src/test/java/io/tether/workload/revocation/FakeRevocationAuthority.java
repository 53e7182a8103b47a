package io.tether.workload.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tether.pki.CaCredential;
import io.tether.pki.CryptoProviders;
import io.tether.pki.KeyType;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * What the Tether CA serves for revocation, in process: {@code POST /ocsp} answers with
 * real signed OCSP responses (by a delegated signer with OCSPSigning and nocheck, issued
 * by the test CA) and {@code GET /crl/<key id>.crl} with a real signed CRL, both from the
 * statuses set here. Knobs make it misbehave the ways a relying party must notice.
 */
final class FakeRevocationAuthority implements AutoCloseable {

	private static final SecureRandom RANDOM = new SecureRandom();

	/** Who signs the answers. */
	enum Signing {

		/** A delegated OCSP signer issued by the CA (the CA's key signs CRLs). */
		DELEGATED,

		/** The CA's own key. */
		ISSUER,

		/** A random key, under the delegated signer's certificate and name. */
		FORGED,

		/** A signer issued by the CA but without the OCSPSigning extended key usage. */
		DELEGATED_WITHOUT_EKU,

		/** A signer with OCSPSigning issued by another CA of the same name. */
		DELEGATED_BY_ANOTHER_CA

	}

	private final CaCredential issuer;

	private final Clock clock;

	private final HttpServer server;

	private final Map<BigInteger, CertificateStatus> statuses = new ConcurrentHashMap<>();

	private final AtomicInteger ocspRequests = new AtomicInteger();

	private final AtomicInteger crlRequests = new AtomicInteger();

	private final KeyPair delegatedKeys = KeyType.EC_P256.generate(RANDOM);

	private final X509CertificateHolder delegated;

	private final X509CertificateHolder delegatedWithoutEku;

	private final X509CertificateHolder delegatedByAnotherCa;

	private volatile Signing signing = Signing.DELEGATED;

	private volatile Duration validity = Duration.ofHours(1);

	private volatile Duration thisUpdateOffset = Duration.ZERO;

	private volatile BigInteger answerAbout;

	FakeRevocationAuthority(CaCredential issuer, CaCredential anotherCaOfTheSameName, Clock clock) throws Exception {
		this.issuer = issuer;
		this.clock = clock;
		this.delegated = delegatedSigner(issuer, true);
		this.delegatedWithoutEku = delegatedSigner(issuer, false);
		this.delegatedByAnotherCa = delegatedSigner(anotherCaOfTheSameName, true);
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/ocsp", this::ocsp);
		this.server.createContext("/crl/", this::crl);
		this.server.start();
	}

	private X509CertificateHolder delegatedSigner(CaCredential ca, boolean ocspSigning) throws Exception {
		Instant now = Instant.now();
		JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(),
				new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofMinutes(1))),
				Date.from(now.plus(Duration.ofDays(1))), new X500Name("CN=Test OCSP Responder"),
				this.delegatedKeys.getPublic());
		if (ocspSigning) {
			builder.addExtension(Extension.extendedKeyUsage, false,
					new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
		}
		builder.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
		return builder.build(signer(ca.privateKey()));
	}

	URI baseUri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	void revoke(X509Certificate certificate, Instant at, int reason) {
		this.statuses.put(certificate.getSerialNumber(), new RevokedStatus(Date.from(at), reason));
	}

	void forget(X509Certificate certificate) {
		this.statuses.put(certificate.getSerialNumber(), new UnknownStatus());
	}

	void signing(Signing signing) {
		this.signing = signing;
	}

	/**
	 * How long after thisUpdate the answers' nextUpdate is; negative makes them stale.
	 */
	void validity(Duration validity) {
		this.validity = validity;
	}

	void thisUpdateOffset(Duration offset) {
		this.thisUpdateOffset = offset;
	}

	/** Answers OCSP requests about another serial than the one asked. */
	void answerAbout(BigInteger serial) {
		this.answerAbout = serial;
	}

	int ocspRequests() {
		return this.ocspRequests.get();
	}

	int crlRequests() {
		return this.crlRequests.get();
	}

	private void ocsp(HttpExchange exchange) throws IOException {
		this.ocspRequests.incrementAndGet();
		try (InputStream in = exchange.getRequestBody()) {
			OCSPReq request = new OCSPReq(in.readAllBytes());
			Instant thisUpdate = this.clock.instant().plus(this.thisUpdateOffset);
			Signing how = this.signing;
			BasicOCSPRespBuilder builder = switch (how) {
				case ISSUER -> new BasicOCSPRespBuilder(new RespID(
						X500Name.getInstance(this.issuer.certificate().getSubjectX500Principal().getEncoded())));
				default -> new BasicOCSPRespBuilder(
						SubjectPublicKeyInfo.getInstance(this.delegatedKeys.getPublic().getEncoded()), sha1());
			};
			for (Req one : request.getRequestList()) {
				CertificateID id = one.getCertID();
				CertificateStatus status = this.statuses.getOrDefault(id.getSerialNumber(), CertificateStatus.GOOD);
				if (this.answerAbout != null) {
					id = CertificateID.deriveCertificateID(id, this.answerAbout);
				}
				builder.addResponse(id, status, Date.from(thisUpdate), Date.from(thisUpdate.plus(this.validity)), null);
			}
			X509CertificateHolder[] certificates = switch (how) {
				case ISSUER -> null;
				case DELEGATED, FORGED -> new X509CertificateHolder[] { this.delegated };
				case DELEGATED_WITHOUT_EKU -> new X509CertificateHolder[] { this.delegatedWithoutEku };
				case DELEGATED_BY_ANOTHER_CA -> new X509CertificateHolder[] { this.delegatedByAnotherCa };
			};
			byte[] body = new OCSPRespBuilder()
				.build(OCSPRespBuilder.SUCCESSFUL,
						builder.build(signer(answerKey(how, ocspKey(how))), certificates,
								Date.from(this.clock.instant())))
				.getEncoded();
			send(exchange, "application/ocsp-response", body);
		}
		catch (Exception ex) {
			exchange.sendResponseHeaders(500, -1);
		}
	}

	private void crl(HttpExchange exchange) throws IOException {
		this.crlRequests.incrementAndGet();
		String path = exchange.getRequestURI().getPath();
		if (!path.equals("/crl/" + keyId(this.issuer.certificate()) + ".crl")) {
			exchange.sendResponseHeaders(404, -1);
			return;
		}
		try {
			Instant thisUpdate = this.clock.instant().plus(this.thisUpdateOffset);
			X509v2CRLBuilder builder = new X509v2CRLBuilder(
					X500Name.getInstance(this.issuer.certificate().getSubjectX500Principal().getEncoded()),
					Date.from(thisUpdate));
			builder.setNextUpdate(Date.from(thisUpdate.plus(this.validity)));
			this.statuses.forEach((serial, status) -> {
				if (status instanceof RevokedStatus revoked) {
					builder.addCRLEntry(serial, revoked.getRevocationTime(), revoked.getRevocationReason());
				}
			});
			byte[] body = builder.build(signer(answerKey(this.signing, this.issuer.privateKey()))).getEncoded();
			send(exchange, "application/pkix-crl", body);
		}
		catch (Exception ex) {
			exchange.sendResponseHeaders(500, -1);
		}
	}

	private static PrivateKey answerKey(Signing how, PrivateKey right) {
		return switch (how) {
			case FORGED -> KeyType.EC_P256.generate(RANDOM).getPrivate();
			default -> right;
		};
	}

	private PrivateKey ocspKey(Signing how) {
		return (how == Signing.ISSUER) ? this.issuer.privateKey() : this.delegatedKeys.getPrivate();
	}

	static String keyId(X509Certificate certificate) {
		byte[] ski = ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14")).getOctets();
		return HexFormat.of().formatHex(SubjectKeyIdentifier.getInstance(ski).getKeyIdentifier());
	}

	private static void send(HttpExchange exchange, String type, byte[] body) throws IOException {
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(200, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static ContentSigner signer(PrivateKey key) throws Exception {
		return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(CryptoProviders.bouncyCastle()).build(key);
	}

	private static DigestCalculator sha1() throws Exception {
		return new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
