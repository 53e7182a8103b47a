package io.tether.server;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.Csr;
import io.tether.pki.KeyEncryptionKey;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import org.apache.catalina.connector.Connector;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation as relying parties other than Tether see it: each authority's CRL and the
 * OCSP responder, on the HTTPS port and the plain-HTTP listener, hear of a revocation at
 * once (OCSP) or within moments (CRL); answers are signed as RFC 6960 and RFC 5280 ask;
 * malformed requests are refused without a 5xx and change nothing; rotations publish for
 * old and new intermediates; a second replica drops its cached answers within its sync
 * interval.
 */
class RevocationIT {

	private static final String TD = "revocation.example";

	private static final Duration PUBLISHED = Duration.ofSeconds(10);

	@TempDir
	Path dir;

	@Test
	void crlAndOcspTellEveryRelyingPartyOfARevocation() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", TD))) {
			X509Certificate intermediate = authority(server, "intermediate", 1);
			X509Certificate root = authority(server, "root", 1);
			X509CRL first = awaitCrl(server, intermediate, 0);
			assertThat(first.getRevokedCertificates()).isNull();
			assertThat(awaitCrl(server, root, 0).getRevokedCertificates()).isNull();

			X509Certificate leaf = issue(server);
			X509Certificate other = issue(server);
			byte[] nonce = new byte[16];
			new SecureRandom().nextBytes(nonce);
			BasicOCSPResp good = ocsp(server, intermediate, nonce, leaf.getSerialNumber());
			assertThat(good.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
			assertThat(good.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce).getExtnValue().getOctets())
				.as("nonce echoed")
				.isEqualTo(new DEROctetString(nonce).getEncoded());
			assertSignedByDelegate(good, intermediate);
			assertThat(Duration.between(good.getResponses()[0].getThisUpdate().toInstant(),
					good.getResponses()[0].getNextUpdate().toInstant()))
				.isEqualTo(Duration.ofMinutes(5));
			// cached: the same answer again without a nonce, until a revocation
			BasicOCSPResp cached = ocsp(server, intermediate, null, leaf.getSerialNumber());
			assertThat(cached.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);

			HttpResponse<String> revoked = server.postJson(server.adminClient(),
					"/v1/certificates/" + leaf.getSerialNumber().toString(16) + "/revoke",
					"{\"reason\":\"keyCompromise\"}");
			assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
			SingleResp answer = ocsp(server, intermediate, null, leaf.getSerialNumber()).getResponses()[0];
			assertThat(answer.getCertStatus()).as("revoked on the very next request").isInstanceOf(RevokedStatus.class);
			RevokedStatus status = (RevokedStatus) answer.getCertStatus();
			assertThat(status.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
			assertThat(ocsp(server, intermediate, null, other.getSerialNumber()).getResponses()[0].getCertStatus())
				.isEqualTo(CertificateStatus.GOOD);

			X509CRL crl = awaitCrl(server, intermediate, 1);
			X509CRLEntry entry = crl.getRevokedCertificate(leaf.getSerialNumber());
			assertThat(entry.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
			assertThat(crlNumber(crl)).isGreaterThan(crlNumber(first));
			crl.verify(intermediate.getPublicKey());
			assertThat(crl.getNextUpdate().toInstant()).isAfter(Instant.now().plus(Duration.ofHours(23)));

			// a serial never issued, and a certificate of another CA: unknown
			assertThat(ocsp(server, intermediate, null, BigInteger.valueOf(12345)).getResponses()[0].getCertStatus())
				.isInstanceOf(UnknownStatus.class);
			X509Certificate stranger = strangerCa();
			assertThat(ocsp(server, stranger, null, BigInteger.TEN).getResponses()[0].getCertStatus())
				.isInstanceOf(UnknownStatus.class);
			// several of one issuer at once
			BasicOCSPResp both = ocsp(server, intermediate, null, leaf.getSerialNumber(), other.getSerialNumber());
			assertThat(both.getResponses()).hasSize(2);
			assertThat(both.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
			assertThat(both.getResponses()[1].getCertStatus()).isEqualTo(CertificateStatus.GOOD);

			// the same over plain HTTP, GET and POST; nothing else there
			String plain = "http://127.0.0.1:" + plainPort(server);
			byte[] request = request(intermediate, null, leaf.getSerialNumber());
			String encoded = java.net.URLEncoder.encode(Base64.getEncoder().encodeToString(request),
					java.nio.charset.StandardCharsets.US_ASCII);
			HttpResponse<byte[]> get = bytes(HttpClient.newHttpClient(),
					HttpRequest.newBuilder(URI.create(plain + "/ocsp/" + encoded)).GET().build());
			assertThat(get.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
			assertThat(basic(get.body()).getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
			HttpResponse<byte[]> crlOverHttp = bytes(HttpClient.newHttpClient(),
					HttpRequest.newBuilder(URI.create(plain + crlPath(intermediate))).GET().build());
			assertThat(crlOverHttp.statusCode()).isEqualTo(200);
			assertThat(crlOverHttp.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
			HttpResponse<byte[]> bundle = bytes(HttpClient.newHttpClient(),
					HttpRequest.newBuilder(URI.create(plain + "/v1/bundle")).GET().build());
			assertThat(bundle.statusCode()).as("the bundle rests on TLS: not over plain HTTP").isEqualTo(404);
			assertThat(bundle.headers().firstValue("Content-Type").orElseThrow())
				.startsWith("application/problem+json");
		}
	}

	@Test
	void malformedOcspRequestsAreRefusedWithoutA5xxAndChangeNothing() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", TD))) {
			X509Certificate intermediate = authority(server, "intermediate", 1);
			X509Certificate leaf = issue(server);
			JdbcTemplate jdbc = server.bean(JdbcTemplate.class);
			awaitCrl(server, intermediate, 0);
			List<Map<String, Object>> before = state(jdbc);
			byte[] good = request(intermediate, null, leaf.getSerialNumber());
			List<byte[]> malformed = new ArrayList<>();
			malformed.add(java.util.Arrays.copyOf(good, good.length - 7));
			malformed.add(new byte[] { 0x30, 0x03, 0x02, 0x01 });
			malformed.add(
					requestWith(new OCSPReqBuilder(),
							new CertificateID(
									new JcaDigestCalculatorProviderBuilder().build()
										.get(new AlgorithmIdentifier(
												org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.md5)),
									new JcaX509CertificateHolder(intermediate), leaf.getSerialNumber())));
			malformed.add(mixedRequest(authority(server, "root", 1), intermediate, leaf.getSerialNumber()));
			BigInteger[] seventeen = new BigInteger[17];
			java.util.Arrays.fill(seventeen, leaf.getSerialNumber());
			malformed.add(request(intermediate, null, seventeen));
			malformed.add(request(intermediate, new byte[33], leaf.getSerialNumber()));
			for (int i = 0; i < malformed.size(); i++) {
				HttpResponse<byte[]> response = postOcsp(server, malformed.get(i));
				assertThat(response.statusCode()).isEqualTo(200);
				assertThat(new OCSPResp(response.body()).getStatus()).as("malformed request %d", i)
					.isEqualTo(OCSPResp.MALFORMED_REQUEST);
			}
			HttpResponse<byte[]> huge = postOcsp(server, new byte[1024 * 1024]);
			assertThat(huge.statusCode()).isEqualTo(413);
			assertThat(huge.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
			HttpResponse<byte[]> json = bytes(server.anonymousClient(),
					HttpRequest.newBuilder(server.uri("/ocsp"))
						.header("Content-Type", "application/json")
						.POST(HttpRequest.BodyPublishers.ofString("{}"))
						.build());
			assertThat(json.statusCode()).isEqualTo(415);
			for (String method : List.of("PATCH", "PUT", "DELETE", "BREW")) {
				HttpResponse<byte[]> response = bytes(server.anonymousClient(),
						HttpRequest.newBuilder(server.uri("/ocsp"))
							.method(method, HttpRequest.BodyPublishers.ofByteArray(good))
							.build());
				assertThat(response.statusCode()).as(method).isEqualTo(405);
				assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(method)
					.startsWith("application/problem+json");
			}
			for (String path : List.of("/ocsp/%25%25%25", "/ocsp/!!notbase64", "/crl/nothex.crl", "/crl/abcd.crl",
					"/crl/", "/ocsp")) {
				HttpResponse<byte[]> response = bytes(server.anonymousClient(),
						HttpRequest.newBuilder(server.uri(path)).GET().build());
				assertThat(response.statusCode()).as(path).isBetween(400, 499);
				assertThat(response.headers().firstValue("Content-Type").orElseThrow()).as(path)
					.startsWith("application/problem+json");
			}
			assertThat(state(jdbc)).as("refused requests change nothing").isEqualTo(before);
			assertThat(ocsp(server, intermediate, null, leaf.getSerialNumber()).getResponses()[0].getCertStatus())
				.isEqualTo(CertificateStatus.GOOD);
		}
	}

	@Test
	void rotationsPublishForOldAndNewIntermediatesAndAnEmergencyPutsTheIntermediateOnTheRootsCrl() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir, Map.of("tether.trust-domain", TD))) {
			X509Certificate old = authority(server, "intermediate", 1);
			X509Certificate root = authority(server, "root", 1);
			X509Certificate oldLeaf = issue(server);
			rotate(server, "{\"kind\":\"intermediate\"}");
			rotate(server, "{\"kind\":\"intermediate\"}");
			X509Certificate current = authority(server, "intermediate", 2);
			X509Certificate newLeaf = issue(server);
			assertThat(KeyIdentifiers.authorityKeyIdentifier(newLeaf))
				.isEqualTo(KeyIdentifiers.subjectKeyIdentifier(current));
			revoke(server, oldLeaf, "superseded");
			revoke(server, newLeaf, "privilegeWithdrawn");
			assertThat(awaitCrl(server, old, 1).getRevokedCertificate(oldLeaf.getSerialNumber())).isNotNull();
			assertThat(awaitCrl(server, current, 1).getRevokedCertificate(newLeaf.getSerialNumber())).isNotNull();
			SingleResp fromOld = ocsp(server, old, null, oldLeaf.getSerialNumber()).getResponses()[0];
			assertThat(((RevokedStatus) fromOld.getCertStatus()).getRevocationReason()).isEqualTo(CRLReason.superseded);
			BasicOCSPResp fromNew = ocsp(server, current, null, newLeaf.getSerialNumber());
			assertSignedByDelegate(fromNew, current);
			assertThat(((RevokedStatus) fromNew.getResponses()[0].getCertStatus()).getRevocationReason())
				.isEqualTo(CRLReason.privilegeWithdrawn);
			// the old intermediate does not answer for the new one's leaves
			assertThat(ocsp(server, old, null, newLeaf.getSerialNumber()).getResponses()[0].getCertStatus())
				.isInstanceOf(UnknownStatus.class);

			// an emergency: the compromised intermediate goes on its root's CRL
			rotate(server, "{\"kind\":\"intermediate\",\"emergency\":true}");
			X509CRL rootCrl = awaitCrl(server, root, 1);
			rootCrl.verify(root.getPublicKey());
			assertThat(rootCrl.getRevokedCertificate(current.getSerialNumber()).getRevocationReason())
				.isEqualTo(java.security.cert.CRLReason.CA_COMPROMISE);
			SingleResp aboutIntermediate = ocsp(server, root, null, current.getSerialNumber()).getResponses()[0];
			assertThat(aboutIntermediate.getCertStatus()).isInstanceOf(RevokedStatus.class);
			assertThat(ocsp(server, root, null, old.getSerialNumber()).getResponses()[0].getCertStatus())
				.as("the retiring intermediate: %s", server.get(server.adminClient(), "/v1/ca").body())
				.isEqualTo(CertificateStatus.GOOD);
			HttpResponse<byte[]> compromisedCrl = bytes(server.anonymousClient(),
					HttpRequest.newBuilder(server.uri(crlPath(current))).GET().build());
			assertThat(compromisedCrl.statusCode()).as("a revoked authority signs nothing more").isEqualTo(404);
		}
	}

	@Test
	void certificatesSayWhereToAskWhenTheServerIsToldItsBaseUrl() throws Exception {
		Map<String, Object> properties = Map.of("tether.trust-domain", TD, "tether.revocation.base-url",
				"http://ca.example:8480/", "tether.revocation.crl-in-leaves", "true",
				"tether.revocation.ocsp-in-leaves", "true");
		try (RunningServer server = RunningServer.start(this.dir, properties)) {
			X509Certificate root = authority(server, "root", 1);
			X509Certificate intermediate = authority(server, "intermediate", 1);
			assertThat(crlUrls(intermediate)).as("an intermediate names its root's CRL")
				.containsExactly("http://ca.example:8480" + crlPath(root));
			X509Certificate leaf = issue(server);
			assertThat(crlUrls(leaf)).containsExactly("http://ca.example:8480" + crlPath(intermediate));
			assertThat(ocspUrls(leaf)).containsExactly("http://ca.example:8480/ocsp");
			JsonNode ca = json.readTree(server.get(server.adminClient(), "/v1/ca").body());
			assertThat(ca.get("ocspUrl").asString()).isEqualTo("http://ca.example:8480/ocsp");
			assertThat(ca.get("authorities").get(0).get("crlUrl").asString())
				.isEqualTo("http://ca.example:8480" + crlPath(root));
		}
	}

	@Test
	void byDefaultOnlyIntermediatesNameACrlAndLeavesNameNothing() throws Exception {
		try (RunningServer server = RunningServer.start(this.dir,
				Map.of("tether.trust-domain", TD, "tether.revocation.base-url", "https://ca.example/pki"))) {
			X509Certificate leaf = issue(server);
			assertThat(leaf.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
			assertThat(leaf.getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
			assertThat(crlUrls(authority(server, "intermediate", 1)))
				.containsExactly("https://ca.example/pki" + crlPath(authority(server, "root", 1)));
		}
	}

	private static List<String> crlUrls(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.cRLDistributionPoints.getId());
		if (extension == null) {
			return List.of();
		}
		List<String> urls = new ArrayList<>();
		for (org.bouncycastle.asn1.x509.DistributionPoint point : org.bouncycastle.asn1.x509.CRLDistPoint
			.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets())
			.getDistributionPoints()) {
			for (org.bouncycastle.asn1.x509.GeneralName name : org.bouncycastle.asn1.x509.GeneralNames
				.getInstance(point.getDistributionPoint().getName())
				.getNames()) {
				urls.add(name.getName().toString());
			}
		}
		return urls;
	}

	private static List<String> ocspUrls(X509Certificate certificate) {
		byte[] extension = certificate.getExtensionValue(Extension.authorityInfoAccess.getId());
		if (extension == null) {
			return List.of();
		}
		List<String> urls = new ArrayList<>();
		for (org.bouncycastle.asn1.x509.AccessDescription description : org.bouncycastle.asn1.x509.AuthorityInformationAccess
			.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets())
			.getAccessDescriptions()) {
			if (description.getAccessMethod().equals(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp)) {
				urls.add(description.getAccessLocation().getName().toString());
			}
		}
		return urls;
	}

	@Test
	void aRevocationOnOneReplicaReachesTheOtherReplicasCachedAnswersWithinItsSyncInterval() throws Exception {
		try (TestDatabases.PostgresSchema schema = TestDatabases.postgres()) {
			Map<String, Object> properties = new java.util.HashMap<>();
			properties.put("tether.trust-domain", TD);
			properties.put("spring.datasource.url", schema.jdbcUrl());
			properties.put("tether.kek", KeyEncryptionKey.generate(new SecureRandom()).toBase64());
			properties.put("tether.revocation.sync-interval", "PT1S");
			try (RunningServer first = RunningServer.start(Files.createDirectories(this.dir.resolve("a")), properties);
					RunningServer second = RunningServer.start(Files.createDirectories(this.dir.resolve("b")),
							properties)) {
				X509Certificate intermediate = authority(first, "intermediate", 1);
				X509Certificate leaf = issue(first);
				assertThat(ocsp(second, intermediate, null, leaf.getSerialNumber()).getResponses()[0].getCertStatus())
					.as("cached on the second replica")
					.isEqualTo(CertificateStatus.GOOD);
				revoke(first, leaf, "keyCompromise");
				Instant revokedAt = Instant.now();
				Instant deadline = revokedAt.plusSeconds(10);
				while (!(ocsp(second, intermediate, null, leaf.getSerialNumber()).getResponses()[0]
					.getCertStatus() instanceof RevokedStatus)) {
					assertThat(Instant.now()).as("the second replica hears of it").isBefore(deadline);
					Thread.sleep(100);
				}
				assertThat(Duration.between(revokedAt, Instant.now())).isLessThan(Duration.ofSeconds(3));
				X509CRL fromSecond = awaitCrl(second, intermediate, 1);
				X509CRL fromFirst = awaitCrl(first, intermediate, 1);
				assertThat(crlNumber(fromSecond)).as("one CRL, published once, served by both")
					.isEqualTo(crlNumber(fromFirst));
			}
		}
	}

	private static List<Map<String, Object>> state(JdbcTemplate jdbc) {
		List<Map<String, Object>> rows = new ArrayList<>();
		rows.addAll(jdbc.queryForList("select serial_number, status, revoked_at from certificate order by 1"));
		rows.addAll(jdbc.queryForList("select authority_id, crl_number from crl order by 1"));
		rows.addAll(jdbc.queryForList("select epoch from revocation_state"));
		rows.addAll(jdbc.queryForList("select id, status from authority order by 1"));
		return rows;
	}

	private static void rotate(RunningServer server, String body) {
		HttpResponse<String> response = server.postJson(server.adminClient(), "/v1/ca/rotate", body);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static void revoke(RunningServer server, X509Certificate leaf, String reason) {
		HttpResponse<String> response = server.postJson(server.adminClient(),
				"/v1/certificates/" + leaf.getSerialNumber().toString(16) + "/revoke",
				"{\"reason\":\"" + reason + "\"}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static X509Certificate authority(RunningServer server, String kind, int generation) {
		JsonNode authorities = json.readTree(server.get(server.adminClient(), "/v1/ca").body()).get("authorities");
		for (JsonNode authority : authorities) {
			if (authority.get("kind").asString().equals(kind) && authority.get("generation").asInt() == generation) {
				X509Certificate certificate = Pem.readCertificate(authority.get("certificatePem").asString());
				assertThat(authority.get("keyId").asString())
					.isEqualTo(KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(certificate)));
				return certificate;
			}
		}
		throw new AssertionError("no " + kind + " generation " + generation);
	}

	private static X509Certificate issue(RunningServer server) {
		String spiffeId = "spiffe://" + TD + "/ns/web";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		HttpResponse<String> response = server.postJson(server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId)));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
		return Pem.readCertificates(json.readTree(response.body()).get("certificateChain").asString()).get(0);
	}

	private static String crlPath(X509Certificate authority) {
		return "/crl/" + KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(authority)) + ".crl";
	}

	/**
	 * The authority's CRL once it lists at least this many certificates (it is published
	 * off the revoking request's thread).
	 */
	private static X509CRL awaitCrl(RunningServer server, X509Certificate authority, int entries)
			throws GeneralSecurityException, InterruptedException {
		Instant deadline = Instant.now().plus(PUBLISHED);
		while (true) {
			HttpResponse<byte[]> response = bytes(server.anonymousClient(),
					HttpRequest.newBuilder(server.uri(crlPath(authority))).GET().build());
			if (response.statusCode() == 200) {
				X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
					.generateCRL(new java.io.ByteArrayInputStream(response.body()));
				crl.verify(authority.getPublicKey());
				int listed = (crl.getRevokedCertificates() != null) ? crl.getRevokedCertificates().size() : 0;
				if (listed >= entries) {
					return crl;
				}
			}
			assertThat(Instant.now()).as("CRL of %s with %d entries", authority.getSubjectX500Principal(), entries)
				.isBefore(deadline);
			Thread.sleep(100);
		}
	}

	private static long crlNumber(X509CRL crl) {
		byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
		return org.bouncycastle.asn1.ASN1Integer
			.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(extension).getOctets())
			.longValueExact();
	}

	private static BasicOCSPResp ocsp(RunningServer server, X509Certificate issuer, byte[] nonce, BigInteger... serials)
			throws Exception {
		HttpResponse<byte[]> response = postOcsp(server, request(issuer, nonce, serials));
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
		return basic(response.body());
	}

	private static BasicOCSPResp basic(byte[] der) throws Exception {
		OCSPResp response = new OCSPResp(der);
		assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		return (BasicOCSPResp) response.getResponseObject();
	}

	private static HttpResponse<byte[]> postOcsp(RunningServer server, byte[] body) {
		return bytes(server.anonymousClient(),
				HttpRequest.newBuilder(server.uri("/ocsp"))
					.header("Content-Type", "application/ocsp-request")
					.POST(HttpRequest.BodyPublishers.ofByteArray(body))
					.build());
	}

	private static byte[] request(X509Certificate issuer, byte[] nonce, BigInteger... serials) throws Exception {
		OCSPReqBuilder builder = new OCSPReqBuilder();
		for (BigInteger serial : serials) {
			builder.addRequest(
					new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
							new JcaX509CertificateHolder(issuer), serial));
		}
		if (nonce != null) {
			builder.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
					new DEROctetString(new DEROctetString(nonce).getEncoded()))));
		}
		return builder.build().getEncoded();
	}

	/**
	 * One question about the issuer's serial, and one about another issuer's.
	 */
	private static byte[] mixedRequest(X509Certificate issuer, X509Certificate otherIssuer, BigInteger serial)
			throws Exception {
		OCSPReqBuilder builder = new OCSPReqBuilder();
		for (X509Certificate each : List.of(issuer, otherIssuer)) {
			builder.addRequest(
					new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
							new JcaX509CertificateHolder(each), serial));
		}
		return builder.build().getEncoded();
	}

	private static byte[] requestWith(OCSPReqBuilder builder, CertificateID id) throws Exception {
		return builder.addRequest(id).build().getEncoded();
	}

	/**
	 * The response is signed by a delegated responder that the authority certified for
	 * OCSP signing only, and that carries id-pkix-ocsp-nocheck.
	 */
	private static void assertSignedByDelegate(BasicOCSPResp response, X509Certificate authority) throws Exception {
		X509CertificateHolder[] certificates = response.getCerts();
		assertThat(certificates).hasSize(2);
		X509Certificate signer = new JcaX509CertificateConverter().getCertificate(certificates[0]);
		assertThat(response.isSignatureValid(new JcaContentVerifierProviderBuilder().build(certificates[0]))).isTrue();
		signer.verify(authority.getPublicKey());
		assertThat(signer.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_OCSPSigning.getId());
		assertThat(signer.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId())).isNotNull();
		assertThat(signer.getBasicConstraints()).isEqualTo(-1);
		assertThat(new JcaX509CertificateConverter().getCertificate(certificates[1])).isEqualTo(authority);
	}

	private static X509Certificate strangerCa() {
		java.security.KeyPair keys = KeyType.EC_P256.generate();
		return new CertificateSigner(java.time.Clock.systemUTC(), new SecureRandom())
			.selfSign(new CertificateProfile.Root("Someone Else", "Elsewhere", Duration.ofDays(1)), keys);
	}

	private static int plainPort(RunningServer server) {
		TomcatWebServer web = (TomcatWebServer) server.webServer();
		for (Connector connector : web.getTomcat().getService().findConnectors()) {
			if (!connector.getSecure() && connector.getLocalPort() > 0) {
				return connector.getLocalPort();
			}
		}
		throw new AssertionError("no plain-HTTP connector");
	}

	private static HttpResponse<byte[]> bytes(HttpClient client, HttpRequest request) {
		try {
			return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
