package io.tether.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import io.tether.pki.Csr;
import io.tether.pki.KeyIdentifiers;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.Commands;
import io.tether.pki.testing.TestPki;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import io.tether.workload.revocation.RevocationChecking;
import io.tether.workload.revocation.RevokedCertificateException;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.CertID;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What relying parties that check revocation see of Tether's CRLs and OCSP responder on
 * the plain-HTTP listener: openssl, python-cryptography, nginx (CRL and OCSP) and the
 * workload library trust what it signs, hear of a revocation at once (OCSP) or within
 * moments (CRL), answer for the leaves of a retiring intermediate, survive malformed
 * requests, and see what {@code tether entry delete --revoke} revokes. Measured figures
 * are printed with the prefix {@code revocation:}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RevocationIT {

	private static final String TD = TetherServer.TRUST_DOMAIN;

	/** How long a published CRL may take to list a revocation (it is published async). */
	private static final Duration CRL_DEADLINE = Duration.ofSeconds(10);

	private Path work;

	private TetherServer server;

	private TetherCommand tether;

	private final List<RunningProcess> processes = new ArrayList<>();

	private final HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@BeforeAll
	void startServer() throws IOException {
		this.work = Files.createTempDirectory("tether-revocation-e2e");
		this.server = new TetherServer(this.work.resolve("server"), RunningProcess.freePort()).start();
		this.tether = new TetherCommand(this.work,
				Map.of("TETHER_CONFIG", this.server.adminDir().resolve("config.yaml").toString()));
	}

	@AfterAll
	void stopEverything() {
		this.processes.forEach(RunningProcess::close);
		if (this.server != null) {
			this.server.close();
		}
		try (var paths = Files.walk(this.work)) {
			paths.sorted(java.util.Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a leftover temporary directory is not a test failure
		}
	}

	@Test
	void opensslSeesGoodThenRevokedAtOnceFromTheResponderAndInTheCrlWithinMoments() throws IOException {
		Leaf leaf = issue(this.server, "openssl");
		Commands.Result good = ocsp(this.server, leaf);
		assertThat(good.output()).contains("leaf.pem: good", "Response verify OK").doesNotContain("WARNING");
		// warms the responder's cache of answers without a nonce, which a revocation must
		// drop
		assertThat(ocsp(this.server, leaf, "-no_nonce").output()).contains("leaf.pem: good", "Response verify OK");
		assertThat(crl(this.server, leaf.issuer()).getRevokedCertificate(leaf.serial())).isNull();

		revoke(this.server, leaf, "keyCompromise");
		Instant revoked = Instant.now();
		Commands.Result cached = ocsp(this.server, leaf, "-no_nonce");
		long cachedMillis = Duration.between(revoked, Instant.now()).toMillis();
		Commands.Result fresh = ocsp(this.server, leaf);
		System.out.println(
				"revocation: revoke response -> first revoked OCSP answer (openssl, no nonce) " + cachedMillis + " ms");
		for (Commands.Result answer : List.of(cached, fresh)) {
			assertThat(answer.output()).as("the first answers after the revoke call returned")
				.contains("leaf.pem: revoked", "Reason: keyCompromise", "Revocation Time:", "Response verify OK");
		}
		assertThat(fresh.output()).as("the nonce openssl sends is echoed").doesNotContain("WARNING: no nonce");

		long crlMillis = awaitListed(this.server, leaf);
		System.out.println("revocation: revoke response -> CRL listing the serial " + crlMillis + " ms");
		Path der = leaf.dir().resolve("crl.der");
		Files.write(der, crlBytes(this.server, leaf.issuer()));
		Commands.Result verified = Commands.run(leaf.dir(), "openssl", "crl", "-inform", "DER", "-in", "crl.der",
				"-CAfile", "issuer.pem", "-verify", "-noout", "-text");
		assertThat(verified.exitCode()).as(verified.output()).isZero();
		assertThat(verified.output()).contains("verify OK", "Serial Number: " + opensslHex(leaf.serial()),
				"Key Compromise");
	}

	/**
	 * A certificate Tether never issued, of a CA it does not know, is {@code unknown},
	 * signed by the active intermediate's responder: that responder is not authorized by
	 * the other CA, so openssl must not call the answer verified.
	 */
	@Test
	void certificateOfAnotherCaIsUnknownAndNotVerifiedAsThatCasAnswer() throws IOException {
		Path dir = Files.createDirectories(this.work.resolve("foreign"));
		Commands.Result made = Commands.run(dir, "sh", "-c", """
				openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca-key.pem \
				  -out issuer.pem -subj '/CN=Foreign CA' -days 1 \
				  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
				&& openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem \
				  -subj /CN=foreign -out leaf.csr \
				&& openssl x509 -req -in leaf.csr -CA issuer.pem -CAkey ca-key.pem -set_serial 0x1234 -days 1 \
				  -out leaf.pem""");
		assertThat(made.exitCode()).as(made.output()).isZero();
		Commands.Result unknown = Commands.run(dir, "openssl", "ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem",
				"-url", this.server.revocationUrl() + "/ocsp", "-CAfile", this.server.bundleFile().toString());
		System.out
			.println("revocation: openssl on another CA's certificate: " + unknown.output().strip().replace('\n', '|'));
		assertThat(unknown.output()).contains("leaf.pem: unknown").doesNotContain("Response verify OK");
	}

	@Test
	void pythonCryptographyVerifiesTheCrlAndTheOcspResponseAndItsDelegatedSigner() throws IOException {
		Leaf leaf = issue(this.server, "python");
		revoke(this.server, leaf, "keyCompromise");
		awaitListed(this.server, leaf);
		Files.write(leaf.dir().resolve("crl.der"), crlBytes(this.server, leaf.issuer()));
		Commands.Result saved = Commands.run(leaf.dir(), "openssl", "ocsp", "-issuer", "issuer.pem", "-cert",
				"leaf.pem", "-url", this.server.revocationUrl() + "/ocsp", "-respout", "response.der", "-noverify");
		assertThat(saved.exitCode()).as(saved.output()).isZero();
		Files.writeString(leaf.dir().resolve("judge.py"), PYTHON_JUDGE);
		Commands.Result judged = Commands.run(leaf.dir(), System.getenv().getOrDefault("TETHER_PYTHON", "python3"),
				"judge.py", "crl.der", "issuer.pem", "response.der", leaf.serial().toString(16));
		assertThat(judged.exitCode()).as(judged.output()).isZero();
		JsonNode facts = TetherServer.JSON.readTree(judged.output().strip().lines().reduce((a, b) -> b).orElse("{}"));
		assertThat(facts.get("crl_signature_valid").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("crl_issuer_matches").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("crl_lists_serial").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("crl_reason").asString()).isEqualTo("key_compromise");
		assertThat(facts.get("ocsp_response_status").asString()).isEqualTo("SUCCESSFUL");
		assertThat(facts.get("ocsp_certificate_status").asString()).isEqualTo("REVOKED");
		assertThat(facts.get("ocsp_serial_matches").asBoolean()).isTrue();
		assertThat(facts.get("ocsp_revocation_reason").asString()).isEqualTo("key_compromise");
		assertThat(facts.get("ocsp_certificates").asInt()).as("the signer and the issuing authority").isEqualTo(2);
		assertThat(facts.get("ocsp_signature_valid").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("responder_issued_by_issuer").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("responder_ocsp_signing").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("responder_ocsp_nocheck").asBoolean()).as(judged.output()).isTrue();
		assertThat(facts.get("second_certificate_is_issuer").asBoolean()).as(judged.output()).isTrue();
	}

	@Test
	void nginxWithTheCrlAcceptsAClientThenRefusesItOnceTheNewCrlIsLoaded() throws IOException {
		Leaf client = issue(this.server, "nginx-crl");
		Path dir = client.dir();
		serverCertificate(dir);
		writeCrls(dir, client);
		int port = RunningProcess.freePort();
		try (Nginx nginx = new Nginx(dir.resolve("nginx"), """
				server {
				  listen 127.0.0.1:%1$d ssl;
				  ssl_certificate %2$s/server.pem;
				  ssl_certificate_key %2$s/server-key.pem;
				  ssl_verify_client on;
				  ssl_verify_depth 2;
				  ssl_client_certificate %3$s;
				  ssl_crl %2$s/crls.pem;
				  error_log %2$s/nginx/server.log info;
				  location / { return 200 "ok $ssl_client_serial\\n"; }
				}""".formatted(port, dir, this.server.bundleFile()))) {
			nginx.start();
			assertThat(request(dir, port)).contains("HTTP/1.1 200 OK", "ok " + opensslHex(client.serial()));

			revoke(this.server, client, "keyCompromise");
			awaitListed(this.server, client);
			writeCrls(dir, client);
			Commands.Result reload = Commands.run(dir, nginx.reloadCommand());
			assertThat(reload.exitCode()).as(reload.output()).isZero();
			// a reload is graceful: an old worker may take a connection or two meanwhile,
			// so wait for three refusals in a row
			RunningProcess.await("nginx refusing the revoked client", Duration.ofSeconds(10),
					() -> IntStream.range(0, 3)
						.allMatch((attempt) -> request(dir, port).contains("The SSL certificate error")));
			assertThat(request(dir, port)).contains("400 Bad Request", "The SSL certificate error");
			assertThat(read(dir.resolve("nginx/server.log"))).contains("certificate revoked");
		}
	}

	@Test
	void nginxAskingTheResponderRefusesAClientAsSoonAsItIsRevokedWithoutAReload() throws IOException {
		Leaf client = issue(this.server, "nginx-ocsp");
		Path dir = client.dir();
		serverCertificate(dir);
		int port = RunningProcess.freePort();
		// ssl_ocsp on: nginx asks about the leaf and, of the root's responder, about the
		// intermediate. No ssl_ocsp_cache, so every handshake asks.
		try (Nginx nginx = new Nginx(dir.resolve("nginx"), """
				server {
				  listen 127.0.0.1:%1$d ssl;
				  ssl_certificate %2$s/server.pem;
				  ssl_certificate_key %2$s/server-key.pem;
				  ssl_verify_client on;
				  ssl_verify_depth 2;
				  ssl_client_certificate %3$s;
				  ssl_ocsp on;
				  ssl_ocsp_responder %4$s/ocsp;
				  error_log %2$s/nginx/server.log info;
				  location / { return 200 "ok $ssl_client_serial\\n"; }
				}""".formatted(port, dir, this.server.bundleFile(), this.server.revocationUrl()))) {
			nginx.start();
			assertThat(request(dir, port)).as(() -> read(dir.resolve("nginx/server.log")))
				.contains("HTTP/1.1 200 OK", "ok " + opensslHex(client.serial()));

			revoke(this.server, client, "keyCompromise");
			assertThat(request(dir, port)).as("the first request after the revoke call returned")
				.contains("400 Bad Request", "The SSL certificate error");
			assertThat(read(dir.resolve("nginx/server.log"))).contains("revoked");
		}
	}

	/**
	 * What {@code ssl_ocsp on} in nginx and any relying party checking the whole chain
	 * ask: the root's responder about the intermediate it signed.
	 */
	@Test
	void rootsResponderAnswersGoodForTheActiveIntermediate() throws IOException {
		Path dir = Files.createDirectories(this.work.resolve("intermediate"));
		X509Certificate intermediate = issue(this.server, "chain").issuer();
		Files.writeString(dir.resolve("leaf.pem"), Pem.write(intermediate));
		Files.writeString(dir.resolve("issuer.pem"), Pem.write(Pem.readCertificates(this.server.bundle(false)).get(0)));
		assertThat(ocsp(this.server, new Leaf(dir, intermediate, null, null)).output()).contains("leaf.pem: good",
				"Response verify OK");
	}

	/**
	 * The responder's contract: questions about certificates of different issuers in one
	 * request are a {@code malformedRequest}, whether or not the other issuer is
	 * Tether's.
	 */
	@Test
	void questionsAboutATetherAndAForeignIssuerInOneRequestAreMalformed() throws Exception {
		Leaf leaf = issue(this.server, "mixed-foreign");
		X509Certificate foreign = TestPki.root().rootCredential().certificate();
		byte[] mixed = new OCSPReqBuilder().addRequest(certificateId(leaf.issuer(), leaf.serial()))
			.addRequest(certificateId(foreign, BigInteger.TEN))
			.build()
			.getEncoded();
		HttpResponse<byte[]> answer = postOcsp(mixed);
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(new OCSPResp(answer.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);
	}

	/**
	 * The checker's answers live at most 1 s here ({@code withMaxAge}), in one context
	 * kept across the revocation, as a long-running workload keeps its own: the
	 * revocation reaches it within that max age, not only on a fresh context.
	 */
	@Test
	void workloadLibraryFailClosedRefusesAClientOnceItIsRevoked() throws Exception {
		List<X509Certificate> roots = Pem.readCertificates(this.server.bundle(false));
		// a DNS name makes it a server certificate (serverAuth), which the client
		// requires
		Leaf serverLeaf = issue(this.server, "java-server", "localhost");
		Leaf clientLeaf = issue(this.server, "java-client");
		SSLContext serverContext = TetherSsl.context(() -> serverLeaf.credentials(roots),
				RevocationChecking.ocsp(URI.create(this.server.revocationUrl()))
					.failClosed()
					.withMaxAge(Duration.ofSeconds(1)));
		SSLContext clientContext = TetherSsl.context(() -> clientLeaf.credentials(roots));
		assertThat(handshake(serverContext, clientContext)).as("the client is accepted while valid").isNull();

		revoke(this.server, clientLeaf, "keyCompromise");
		Instant revoked = Instant.now();
		AtomicReference<Throwable> refused = new AtomicReference<>();
		RunningProcess.await("a refused handshake", Duration.ofSeconds(10), () -> {
			refused.set(handshake(serverContext, clientContext));
			return refused.get() != null;
		});
		System.out.println("revocation: revoke response -> workload (max age 1 s) refusing the client "
				+ Duration.between(revoked, Instant.now()).toMillis() + " ms");
		assertThat(causes(refused.get())).as("refused for the revocation, not anything else")
			.anyMatch(RevokedCertificateException.class::isInstance);
	}

	@Test
	void leavesOfTheRetiringAndTheActiveIntermediateAreAnsweredForByEach() throws IOException {
		try (TetherServer own = new TetherServer(this.work.resolve("server-rotation"), RunningProcess.freePort())) {
			own.start();
			Leaf old = issue(own, "rotation-old");
			own.post("/v1/ca/rotate", Map.of("kind", "intermediate"));
			own.post("/v1/ca/rotate", Map.of("kind", "intermediate"));
			Map<String, String> statuses = new java.util.HashMap<>();
			own.get("/v1/ca").get("authorities").forEach((authority) -> {
				if (authority.get("kind").asString().equals("intermediate")) {
					statuses.put(authority.get("keyId").asString(), authority.get("status").asString());
				}
			});
			assertThat(statuses).containsEntry(keyId(old.issuer()), "retiring").containsValue("active");
			Leaf current = issue(own, "rotation-new");
			assertThat(current.issuer()).as("issued by the new intermediate").isNotEqualTo(old.issuer());
			assertThat(statuses).containsEntry(keyId(current.issuer()), "active");

			revoke(own, old, "keyCompromise");
			assertThat(ocsp(own, old).output()).contains("leaf.pem: revoked", "Reason: keyCompromise",
					"Response verify OK");
			assertThat(ocsp(own, current).output()).contains("leaf.pem: good", "Response verify OK");
			awaitListed(own, old);
			assertThat(crl(own, current.issuer()).getRevokedCertificate(old.serial())).isNull();
			for (Leaf leaf : List.of(old, current)) {
				Files.write(leaf.dir().resolve("crl.der"), crlBytes(own, leaf.issuer()));
				Commands.Result verified = Commands.run(leaf.dir(), "openssl", "crl", "-inform", "DER", "-in",
						"crl.der", "-CAfile", "issuer.pem", "-verify", "-noout");
				assertThat(verified.exitCode()).as(verified.output()).isZero();
				assertThat(verified.output()).contains("verify OK");
			}
		}
	}

	@Test
	void malformedOcspRequestsAreRefusedWithoutAServerErrorAndGoodOnesStillAnswered() throws Exception {
		Leaf leaf = issue(this.server, "malformed");
		byte[] good = new OCSPReqBuilder().addRequest(certificateId(leaf.issuer(), leaf.serial())).build().getEncoded();
		byte[] md5 = new OCSPReqBuilder()
			.addRequest(new CertificateID(
					new CertID(new AlgorithmIdentifier(PKCSObjectIdentifiers.md5), new DEROctetString(new byte[16]),
							new DEROctetString(new byte[16]), new ASN1Integer(leaf.serial()))))
			.build()
			.getEncoded();
		X509Certificate root = Pem.readCertificates(this.server.bundle(false)).get(0);
		// the leaf's intermediate and the root: two Tether issuers in one request
		byte[] mixed = new OCSPReqBuilder().addRequest(certificateId(leaf.issuer(), leaf.serial()))
			.addRequest(certificateId(root, leaf.issuer().getSerialNumber()))
			.build()
			.getEncoded();
		OCSPReqBuilder seventeen = new OCSPReqBuilder();
		for (int i = 0; i < 17; i++) {
			seventeen.addRequest(certificateId(leaf.issuer(), leaf.serial().add(BigInteger.valueOf(i))));
		}
		Map<String, HttpResponse<byte[]>> answers = new java.util.LinkedHashMap<>();
		answers.put("truncated DER", postOcsp(Arrays.copyOf(good, good.length / 2)));
		answers.put("MD5 CertID", postOcsp(md5));
		answers.put("issuers mixed", postOcsp(mixed));
		answers.put("17 CertIDs", postOcsp(seventeen.build().getEncoded()));
		answers.put("empty body", postOcsp(new byte[0]));
		answers.put("GET truncated", getOcsp(URLEncoder
			.encode(Base64.getEncoder().encodeToString(Arrays.copyOf(good, good.length / 2)), StandardCharsets.UTF_8)));
		for (Map.Entry<String, HttpResponse<byte[]>> answer : answers.entrySet()) {
			assertThat(answer.getValue().statusCode()).as(answer.getKey()).isEqualTo(200);
			assertThat(new OCSPResp(answer.getValue().body()).getStatus()).as(answer.getKey())
				.isEqualTo(OCSPResp.MALFORMED_REQUEST);
		}
		byte[] huge = new byte[1024 * 1024];
		System.arraycopy(good, 0, huge, 0, good.length);
		Map<String, HttpResponse<byte[]>> refusals = new java.util.LinkedHashMap<>();
		refusals.put("1 MiB body", postOcsp(huge));
		refusals.put("17 KiB body", postOcsp(new byte[17 * 1024]));
		refusals.put("garbage base64 on GET", getOcsp("not-base64!!"));
		refusals.put("wrong content type",
				send(HttpRequest.newBuilder(URI.create(this.server.revocationUrl() + "/ocsp"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofByteArray(good))));
		refusals.put("no such path", send(HttpRequest.newBuilder(URI.create(this.server.revocationUrl() + "/v1/ca"))));
		for (Map.Entry<String, HttpResponse<byte[]>> refusal : refusals.entrySet()) {
			assertThat(refusal.getValue().statusCode()).as(refusal.getKey()).isBetween(400, 499);
			assertThat(refusal.getValue().headers().firstValue("Content-Type")).as(refusal.getKey())
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		}
		assertThat(refusals.get("1 MiB body").statusCode()).isEqualTo(413);
		assertThat(refusals.get("17 KiB body").statusCode()).isEqualTo(413);
		assertThat(refusals.get("wrong content type").statusCode()).isEqualTo(415);
		assertThat(refusals.get("no such path").statusCode()).isEqualTo(404);

		HttpResponse<byte[]> after = postOcsp(good);
		assertThat(after.statusCode()).isEqualTo(200);
		OCSPResp response = new OCSPResp(after.body());
		assertThat(response.getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
		assertThat(((BasicOCSPResp) response.getResponseObject()).getResponses()[0].getCertStatus())
			.as("good (null) after all that")
			.isNull();
		HttpResponse<byte[]> byGet = getOcsp(
				URLEncoder.encode(Base64.getEncoder().encodeToString(good), StandardCharsets.UTF_8));
		assertThat(new OCSPResp(byGet.body()).getStatus()).isEqualTo(OCSPResp.SUCCESSFUL);
	}

	@Test
	void spiffeBundleHoldsTheSameRootsAsThePemBundle() throws Exception {
		try (HttpClient anonymous = HttpClient.newBuilder()
			.sslContext(TlsContexts.trusting(Pem.readCertificates(Files.readString(this.server.bundleFile()))))
			.build()) {
			HttpResponse<String> response = anonymous.send(
					HttpRequest.newBuilder(URI.create(this.server.url() + "/v1/bundle/spiffe")).build(),
					HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			List<X509Certificate> fromJwks = new ArrayList<>();
			CertificateFactory factory = CertificateFactory.getInstance("X.509");
			for (JsonNode key : TetherServer.JSON.readTree(response.body()).get("keys")) {
				if (!key.get("use").asString().equals("x509-svid")) {
					continue;
				}
				for (JsonNode x5c : key.get("x5c")) {
					fromJwks.add((X509Certificate) factory.generateCertificate(
							new java.io.ByteArrayInputStream(Base64.getDecoder().decode(x5c.asString()))));
				}
			}
			assertThat(fromJwks).isNotEmpty()
				.containsExactlyInAnyOrderElementsOf(Pem.readCertificates(this.server.bundle(false)));
		}
	}

	@Test
	void entryDeletedWithoutRevokeLeavesTheAgentsCertificateGoodAndWithRevokeRevokesIt() throws IOException {
		Instant start = Instant.now();
		String kept = id("ns/entry-kept");
		String ended = id("ns/entry-ended");
		String keptEntry = this.server.createEntry(kept, "host-revocation", List.of(), "PT10M");
		String endedEntry = this.server.createEntry(ended, "host-revocation", List.of(), "PT10M");
		Path keptOut = this.work.resolve("agent-out/kept");
		Path endedOut = this.work.resolve("agent-out/ended");
		startAgent("host-revocation", workload(kept, keptOut) + workload(ended, endedOut));
		RunningProcess.await("both workload certificates", Duration.ofSeconds(60),
				() -> Files.exists(keptOut.resolve("cert.pem")) && Files.exists(endedOut.resolve("cert.pem")));
		Leaf keptLeaf = Leaf.of(keptOut);
		Leaf endedLeaf = Leaf.of(endedOut);

		TetherCommand.Result left = cli("entry", "delete", keptEntry);
		assertThat(left.out()).contains("deleted entry " + keptEntry,
				"1 certificate issued for " + kept + " to agent host-revocation stays valid until");
		assertThat(ocsp(this.server, keptLeaf).output()).contains("leaf.pem: good", "Response verify OK");

		TetherCommand.Result gone = cli("entry", "delete", endedEntry, "--revoke");
		assertThat(gone.out()).contains("deleted entry " + endedEntry, "revoked 1 certificate issued for it");
		assertThat(ocsp(this.server, endedLeaf).output()).contains("leaf.pem: revoked", "Reason: cessationOfOperation",
				"Response verify OK");
		assertThat(ocsp(this.server, keptLeaf).output()).as("another SPIFFE ID: untouched").contains("leaf.pem: good");
		System.out.println("revocation: entry deletion with a running agent took "
				+ Duration.between(start, Instant.now()).toMillis() + " ms");
	}

	/**
	 * A certificate with its key and issuer, in a directory of its own as openssl wants
	 * them: {@code leaf.pem}, {@code key.pem}, {@code issuer.pem}.
	 */
	private record Leaf(Path dir, X509Certificate certificate, X509Certificate issuer, java.security.PrivateKey key) {

		BigInteger serial() {
			return this.certificate.getSerialNumber();
		}

		X509Credentials credentials(List<X509Certificate> roots) {
			return new X509Credentials(this.key, List.of(this.certificate, this.issuer), roots);
		}

		/**
		 * Reads an agent's output directory ({@code cert.pem}: leaf and intermediate).
		 */
		static Leaf of(Path out) throws IOException {
			List<X509Certificate> chain = Pem.readCertificates(Files.readString(out.resolve("cert.pem")));
			java.security.PrivateKey key = Pem.readPrivateKey(Files.readString(out.resolve("key.pem")));
			return write(out, chain, key);
		}

		static Leaf write(Path dir, List<X509Certificate> chain, java.security.PrivateKey key) throws IOException {
			Files.createDirectories(dir);
			Files.writeString(dir.resolve("leaf.pem"), Pem.write(chain.get(0)));
			Files.writeString(dir.resolve("issuer.pem"), Pem.write(chain.get(1)));
			Files.writeString(dir.resolve("key.pem"), Pem.write(key));
			return new Leaf(dir, chain.get(0), chain.get(1), key);
		}

	}

	private Leaf issue(TetherServer target, String name, String... dnsNames) throws IOException {
		String spiffeId = id("ns/" + name);
		KeyPair keys = KeyType.EC_P256.generate();
		JsonNode issued = target.post("/v1/certificates",
				Map.of("csr", Csr.create(keys, SpiffeId.parse(spiffeId), List.of(dnsNames)).toPem(), "spiffeId",
						spiffeId, "dnsNames", List.of(dnsNames)));
		return Leaf.write(this.work.resolve(name), Pem.readCertificates(issued.get("certificateChain").asString()),
				keys.getPrivate());
	}

	private static void revoke(TetherServer target, Leaf leaf, String reason) {
		JsonNode revoked = target.post("/v1/certificates/" + leaf.serial().toString(16) + "/revoke",
				Map.of("reason", reason));
		assertThat(revoked.get("revocationReason").asString()).isEqualTo(reason);
	}

	private static Commands.Result ocsp(TetherServer target, Leaf leaf, String... more) {
		List<String> command = new ArrayList<>(List.of("openssl", "ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem",
				"-url", target.revocationUrl() + "/ocsp", "-CAfile", target.bundleFile().toString()));
		command.addAll(List.of(more));
		Commands.Result result = Commands.run(leaf.dir(), command);
		assertThat(result.exitCode()).as(result.output()).isZero();
		return result;
	}

	private byte[] crlBytes(TetherServer target, X509Certificate authority) {
		HttpResponse<byte[]> response = send(
				HttpRequest.newBuilder(URI.create(target.revocationUrl() + "/crl/" + keyId(authority) + ".crl")));
		assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
		return response.body();
	}

	private X509CRL crl(TetherServer target, X509Certificate authority) {
		try (InputStream in = new java.io.ByteArrayInputStream(crlBytes(target, authority))) {
			X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(in);
			crl.verify(authority.getPublicKey());
			return crl;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new AssertionError("CRL of " + authority.getSubjectX500Principal() + " does not verify", ex);
		}
	}

	/**
	 * Waits for the issuer's CRL to list the leaf.
	 * @return how long after the call it took, in milliseconds
	 */
	private long awaitListed(TetherServer target, Leaf leaf) {
		Instant start = Instant.now();
		RunningProcess.await("the CRL listing " + leaf.serial().toString(16), CRL_DEADLINE,
				() -> crl(target, leaf.issuer()).getRevokedCertificate(leaf.serial()) != null);
		return Duration.between(start, Instant.now()).toMillis();
	}

	/** The root's and the client's intermediate's CRLs, PEM, as nginx's ssl_crl wants. */
	private void writeCrls(Path dir, Leaf client) throws IOException {
		X509Certificate root = Pem.readCertificates(this.server.bundle(false)).get(0);
		Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
		StringBuilder crls = new StringBuilder();
		for (X509Certificate authority : List.of(root, client.issuer())) {
			crls.append("-----BEGIN X509 CRL-----\n")
				.append(pem.encodeToString(crlBytes(this.server, authority)))
				.append("\n-----END X509 CRL-----\n");
		}
		Files.writeString(dir.resolve("crls.pem"), crls);
	}

	private static void serverCertificate(Path dir) {
		Commands.Result made = Commands.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
				"ec_paramgen_curve:P-256", "-nodes", "-keyout", "server-key.pem", "-out", "server.pem", "-subj",
				"/CN=localhost", "-days", "1");
		assertThat(made.exitCode()).as(made.output()).isZero();
	}

	/** One HTTP request to nginx with the directory's client certificate and chain. */
	private static String request(Path dir, int port) {
		return Commands
			.run(dir, "sh", "-c",
					"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | openssl s_client -connect 127.0.0.1:" + port
							+ " -cert leaf.pem -cert_chain issuer.pem -key key.pem -quiet 2>&1")
			.output();
	}

	/**
	 * One TLS connection from the client context to a server socket of the server context
	 * that needs a client certificate.
	 * @return why the server refused the client, or {@code null} when it accepted it
	 */
	private static Throwable handshake(SSLContext serverContext, SSLContext clientContext) {
		try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
			.createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			listener.setNeedClientAuth(true);
			CompletableFuture<Throwable> served = CompletableFuture.supplyAsync(() -> {
				try (SSLSocket socket = (SSLSocket) listener.accept()) {
					socket.setSoTimeout(10_000);
					socket.startHandshake();
					socket.getOutputStream().write('k');
					socket.getOutputStream().flush();
					return null;
				}
				catch (IOException ex) {
					return ex;
				}
			});
			try (SSLSocket socket = (SSLSocket) clientContext.getSocketFactory()
				.createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
				socket.setSoTimeout(10_000);
				socket.startHandshake();
				socket.getInputStream().read();
			}
			catch (IOException ex) {
				// the server's reason is what counts
			}
			return served.get(15, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new AssertionError("handshake could not be attempted", ex);
		}
	}

	private static List<Throwable> causes(Throwable failure) {
		List<Throwable> causes = new ArrayList<>();
		Set<Throwable> seen = new HashSet<>();
		for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
			causes.add(cause);
		}
		return causes;
	}

	private static CertificateID certificateId(X509Certificate issuer, BigInteger serial) {
		try {
			return new CertificateID(new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
					new JcaX509CertificateHolder(issuer), serial);
		}
		catch (Exception ex) {
			throw new AssertionError(ex);
		}
	}

	private HttpResponse<byte[]> postOcsp(byte[] body) {
		return send(HttpRequest.newBuilder(URI.create(this.server.revocationUrl() + "/ocsp"))
			.header("Content-Type", "application/ocsp-request")
			.POST(HttpRequest.BodyPublishers.ofByteArray(body)));
	}

	private HttpResponse<byte[]> getOcsp(String encoded) {
		return send(HttpRequest.newBuilder(URI.create(this.server.revocationUrl() + "/ocsp/" + encoded)));
	}

	private HttpResponse<byte[]> send(HttpRequest.Builder request) {
		try {
			return this.plain.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("interrupted");
		}
	}

	private TetherCommand.Result cli(String... args) {
		TetherCommand.Result result = this.tether.run(args);
		assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
		return result;
	}

	private RunningProcess startAgent(String name, String workloads) throws IOException {
		Path config = this.work.resolve("agent-" + name + ".yaml");
		Files.writeString(config, """
				servers: [%s]
				name: %s
				trustDomain: %s
				joinToken: %s
				dataDir: %s
				workloads:
				%s""".formatted(this.server.url(), name, TD, this.server.createToken(name),
				this.work.resolve("agent-" + name), workloads));
		RunningProcess agent = RunningProcess.start(AgentProcess.command(config),
				this.work.resolve("agent-" + name + ".log"));
		this.processes.add(agent);
		return agent;
	}

	private static String workload(String spiffeId, Path out) {
		return """
				  - spiffeId: %s
				    outputs:
				      certificate: %s/cert.pem
				      key: %s/key.pem
				      bundle: %s/bundle.pem
				""".formatted(spiffeId, out, out, out);
	}

	private static String keyId(X509Certificate authority) {
		return KeyIdentifiers.hex(KeyIdentifiers.subjectKeyIdentifier(authority));
	}

	/** A serial number as openssl prints it: uppercase hex, whole octets. */
	private static String opensslHex(BigInteger serial) {
		String hex = serial.toString(16).toUpperCase(java.util.Locale.ROOT);
		return ((hex.length() % 2 == 1) ? "0" : "") + hex;
	}

	private static String read(Path file) {
		try {
			return Files.exists(file) ? Files.readString(file) : "";
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static String id(String path) {
		return "spiffe://" + TD + "/" + path;
	}

	/**
	 * Prints, as one JSON line, what python-cryptography finds in a CRL and an OCSP
	 * response: the test judges the facts.
	 */
	private static final String PYTHON_JUDGE = """
			import json, sys
			from cryptography import x509
			from cryptography.x509 import ocsp
			from cryptography.x509.oid import ExtendedKeyUsageOID
			from cryptography.hazmat.primitives.asymmetric import ec, rsa, padding

			def verifies(key, signature, data, hash_algorithm):
			    try:
			        if isinstance(key, ec.EllipticCurvePublicKey):
			            key.verify(signature, data, ec.ECDSA(hash_algorithm))
			        elif isinstance(key, rsa.RSAPublicKey):
			            key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
			        else:
			            key.verify(signature, data)
			        return True
			    except Exception:
			        return False

			crl_path, issuer_path, response_path, serial_hex = sys.argv[1:5]
			serial = int(serial_hex, 16)
			issuer = x509.load_pem_x509_certificate(open(issuer_path, 'rb').read())
			crl = x509.load_der_x509_crl(open(crl_path, 'rb').read())
			facts = {}
			facts['crl_signature_valid'] = crl.is_signature_valid(issuer.public_key())
			facts['crl_issuer_matches'] = crl.issuer == issuer.subject
			entry = crl.get_revoked_certificate_by_serial_number(serial)
			facts['crl_lists_serial'] = entry is not None
			facts['crl_reason'] = None
			if entry is not None:
			    try:
			        facts['crl_reason'] = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason.name
			    except x509.ExtensionNotFound:
			        pass
			response = ocsp.load_der_ocsp_response(open(response_path, 'rb').read())
			facts['ocsp_response_status'] = response.response_status.name
			facts['ocsp_certificate_status'] = response.certificate_status.name
			facts['ocsp_serial_matches'] = response.serial_number == serial
			reason = response.revocation_reason
			facts['ocsp_revocation_reason'] = reason.name if reason is not None else None
			certificates = response.certificates
			facts['ocsp_certificates'] = len(certificates)
			responder = certificates[0]
			facts['ocsp_signature_valid'] = verifies(responder.public_key(), response.signature,
			    response.tbs_response_bytes, response.signature_hash_algorithm)
			try:
			    responder.verify_directly_issued_by(issuer)
			    facts['responder_issued_by_issuer'] = True
			except Exception:
			    facts['responder_issued_by_issuer'] = False
			usages = responder.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
			facts['responder_ocsp_signing'] = ExtendedKeyUsageOID.OCSP_SIGNING in usages
			try:
			    responder.extensions.get_extension_for_class(x509.OCSPNoCheck)
			    facts['responder_ocsp_nocheck'] = True
			except x509.ExtensionNotFound:
			    facts['responder_ocsp_nocheck'] = False
			facts['second_certificate_is_issuer'] = len(certificates) > 1 and certificates[1] == issuer
			print(json.dumps(facts))
			""";

}
