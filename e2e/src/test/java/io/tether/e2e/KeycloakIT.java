package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.security.auth.x500.X500Principal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.demo.OrdersServer;
import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import io.tether.workload.binding.BoundTokenVerifier;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keycloak as the authorization server of Tether workloads, both ways in, with a real
 * Keycloak (the {@code keycloak-quarkus-dist} of {@code keycloak.version} in e2e/pom.xml)
 * serving a Tether certificate and trusting the Tether bundle:
 * <ol>
 * <li>the X.509 client authenticator ({@code client-x509}) matching the workload
 * certificate's subject DN, with certificate-bound access tokens (RFC 8705);</li>
 * <li>federated client authentication with a JWT-SVID (the {@code spiffe} identity
 * provider, a preview feature of Keycloak 26), over mTLS so that the token is bound.</li>
 * </ol>
 * Tether's resource-server verifier takes Keycloak's tokens with the certificate they are
 * bound to and refuses them with any other. The realm is the one docs/token-binding.md
 * shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakIT {

	private static final String TD = TetherServer.TRUST_DOMAIN;

	private Path work;

	private TetherServer ca;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private Keycloak keycloak;

	private String realm;

	private OrdersServer orders;

	@BeforeAll
	void startEverything() throws Exception {
		this.work = Files.createTempDirectory("tether-keycloak-e2e");
		// JWT-SVIDs live 2 minutes: Keycloak refuses client assertions of more than 5
		this.ca = new TetherServer(this.work.resolve("ca"), RunningProcess.freePort(), TD,
				List.of("--tether.jwt-svid.ttl=PT2M"))
			.start();
		int keycloakPort = RunningProcess.freePort();
		// the one audience Keycloak's federated client authentication accepts: the realm
		this.realm = "https://localhost:" + keycloakPort + "/realms/tether";
		this.ca.createEntry(id("ns/keycloak"), "host-kc", List.of("localhost"), "PT10M");
		this.ca.createEntry(id("ns/orders"), "host-kc", List.of("localhost"), "PT10M");
		for (String name : List.of("web", "intruder")) {
			this.ca.post("/v1/entries", Map.of("spiffeId", id("ns/" + name), "agent", "host-kc", "dnsNames", List.of(),
					"ttl", "PT10M", "audiences", List.of(this.realm)));
		}
		startAgent("host-kc", List.of("keycloak", "orders", "web", "intruder"));

		// Keycloak validates a client's chain itself: the roots and the intermediates
		Path trusted = this.work.resolve("tether-ca.pem");
		Files.writeString(trusted, this.ca.bundle(true));
		Path own = this.work.resolve("keycloak");
		this.keycloak = new Keycloak(keycloakPort, trustOnly(own));
		this.closeables.add(this.keycloak);
		this.keycloak.start(own.resolve("cert.pem"), own.resolve("key.pem"), trusted,
				this.work.resolve("keycloak.log"));
		assertThat(this.keycloak.url() + "/realms/tether").isEqualTo(this.realm);
		// Keycloak reads the JWT authorities from the CA's SPIFFE bundle endpoint
		this.keycloak.createRealm(realmRepresentation(this.ca.url() + "/v1/bundle/spiffe"));

		Path resources = this.work.resolve("orders");
		this.orders = new OrdersServer(0, context(resources),
				BoundTokenVerifier
					.fromJwkSetUri(URI.create(this.realm + "/protocol/openid-connect/certs"), trustOnly(resources))
					.issuer(this.realm)
					.audience("orders")
					.build());
		this.closeables.add(this.orders);
	}

	/**
	 * The realm as docs/token-binding.md shows it: the client {@code web} authenticated
	 * by the subject of its Tether certificate, the client {@code web-svid} by its
	 * JWT-SVID; both get tokens bound to the connection's certificate, for the audience
	 * {@code orders}.
	 */
	private String realmRepresentation(String bundleEndpoint) throws IOException {
		String subject = subject(this.work.resolve("web"));
		return """
				{
				  "realm": "tether",
				  "enabled": true,
				  "clients": [
				    {
				      "clientId": "web",
				      "protocol": "openid-connect",
				      "publicClient": false,
				      "standardFlowEnabled": false,
				      "directAccessGrantsEnabled": false,
				      "serviceAccountsEnabled": true,
				      "clientAuthenticatorType": "client-x509",
				      "attributes": {
				        "x509.subjectdn": %1$s,
				        "x509.allow.regex.pattern.comparison": "false",
				        "tls.client.certificate.bound.access.tokens": "true"
				      },
				      "protocolMappers": [%4$s]
				    },
				    {
				      "clientId": "web-svid",
				      "protocol": "openid-connect",
				      "publicClient": false,
				      "standardFlowEnabled": false,
				      "directAccessGrantsEnabled": false,
				      "serviceAccountsEnabled": true,
				      "clientAuthenticatorType": "federated-jwt",
				      "attributes": {
				        "jwt.credential.issuer": "tether",
				        "jwt.credential.sub": %2$s,
				        "tls.client.certificate.bound.access.tokens": "true"
				      },
				      "protocolMappers": [%4$s]
				    }
				  ],
				  "identityProviders": [
				    {
				      "alias": "tether",
				      "providerId": "spiffe",
				      "enabled": true,
				      "config": {
				        "trustDomain": "spiffe://%5$s",
				        "bundleEndpoint": %3$s
				      }
				    }
				  ]
				}
				""".formatted(json(subject), json(id("ns/web")), json(bundleEndpoint), """
				{
				        "name": "audience orders",
				        "protocol": "openid-connect",
				        "protocolMapper": "oidc-audience-mapper",
				        "config": {
				          "included.custom.audience": "orders",
				          "access.token.claim": "true",
				          "introspection.token.claim": "true"
				        }
				      }""", TD);
	}

	@AfterAll
	void stopEverything() throws Exception {
		if (this.keycloak != null && this.keycloak.startTime() != null) {
			System.out.println("Keycloak " + System.getProperty("tether.keycloak.home") + ": listening "
					+ this.keycloak.startTime().toMillis() + " ms after kc.sh start; memory " + this.keycloak.memory());
		}
		for (AutoCloseable closeable : this.closeables.reversed()) {
			closeable.close();
		}
		if (this.ca != null) {
			this.ca.close();
		}
	}

	@Test
	void x509ClientGetsATokenBoundToItsCertificate() throws Exception {
		Path web = this.work.resolve("web");
		HttpResponse<String> response = Keycloak.tokenRequest(client(web), this.realm, Map.of("client_id", "web"));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String token = TetherServer.JSON.readTree(response.body()).get("access_token").asString();

		JsonNode claims = claims(token);
		assertThat(claims.get("cnf").get("x5t#S256").asString()).isEqualTo(thumbprintByCli(web.resolve("cert.pem")));
		assertThat(claims.get("azp").asString()).isEqualTo("web");
		assertThat(claims.get("iss").asString()).isEqualTo(this.realm);

		HttpResponse<String> accepted = callOrders(client(web), token);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
		HttpResponse<String> stolen = callOrders(client(this.work.resolve("intruder")), token);
		assertThat(stolen.statusCode()).isEqualTo(401);
		assertThat(stolen.body()).contains("another certificate");

		HttpResponse<String> anonymous = Keycloak.tokenRequest(
				HttpClient.newBuilder().sslContext(trustOnly(web)).build(), this.realm, Map.of("client_id", "web"));
		assertThat(anonymous.statusCode()).as("no client certificate: " + anonymous.body()).isEqualTo(401);
		assertThat(anonymous.body()).contains("invalid_client");
	}

	/**
	 * Keycloak tells X.509 clients apart by subject DN only: this holds only if every
	 * workload's certificate has a subject of its own.
	 */
	@Test
	void anotherWorkloadsCertificateIsRefusedForThatClient() throws Exception {
		Path intruder = this.work.resolve("intruder");
		HttpResponse<String> response = Keycloak.tokenRequest(client(intruder), this.realm, Map.of("client_id", "web"));
		assertThat(response.statusCode())
			.as("ns/intruder's certificate (subject '%s') for the client of ns/web (subject '%s'): %s",
					subject(intruder), subject(this.work.resolve("web")), response.body())
			.isEqualTo(401);
		assertThat(response.body()).contains("invalid_client");
	}

	/**
	 * The clients here present their certificate whatever CAs the server names (the JDK's
	 * default key manager would offer none that the server's list does not name).
	 */
	@Test
	void certificateWithTheSameSubjectFromAnotherCaIsRefused() throws Exception {
		Path web = this.work.resolve("web");
		HttpResponse<String> genuine = Keycloak.tokenRequest(
				presenting(Pem.readPrivateKey(Files.readString(web.resolve("key.pem"))),
						Pem.readCertificates(Files.readString(web.resolve("cert.pem"))), web),
				this.realm, Map.of("client_id", "web"));
		assertThat(genuine.statusCode()).as(genuine.body()).isEqualTo(200);

		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keys = generator.generateKeyPair();
		HttpClient impostor = presenting(keys.getPrivate(), List.of(selfSigned(subjectOf(web), keys)), web);
		assertThatExceptionOfType(UncheckedIOException.class)
			.as("a self-signed certificate with ns/web's subject: the handshake fails")
			.isThrownBy(() -> Keycloak.tokenRequest(impostor, this.realm, Map.of("client_id", "web")));
	}

	@Test
	void jwtSvidOverMutualTlsGetsATokenBoundToTheConnectionsCertificate() throws Exception {
		Path web = this.work.resolve("web");
		HttpResponse<String> response = Keycloak.tokenRequest(client(web), this.realm,
				jwtSvidAssertion(jwtSvidOf("web")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String token = TetherServer.JSON.readTree(response.body()).get("access_token").asString();
		JsonNode claims = claims(token);
		assertThat(claims.get("azp").asString()).isEqualTo("web-svid");
		assertThat(claims.get("cnf").get("x5t#S256").asString()).isEqualTo(thumbprintByCli(web.resolve("cert.pem")));

		HttpResponse<String> accepted = callOrders(client(web), token);
		assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
		HttpResponse<String> stolen = callOrders(client(this.work.resolve("intruder")), token);
		assertThat(stolen.statusCode()).isEqualTo(401);
		assertThat(stolen.body()).contains("another certificate");
	}

	@Test
	void jwtSvidNotSignedByTheTrustDomainIsRefused() throws Exception {
		// the CA's own key id on a token signed by another key
		String kid = SignedJWT.parse(jwtSvidOf("web")).getHeader().getKeyID();
		ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
		HttpResponse<String> forged = Keycloak.tokenRequest(client(this.work.resolve("web")), this.realm,
				jwtSvidAssertion(jwtSvid(id("ns/web"), stranger)));
		assertThat(forged.statusCode()).as(forged.body()).isEqualTo(401);
		assertThat(forged.body()).contains("invalid_client");

		HttpResponse<String> noClient = Keycloak.tokenRequest(client(this.work.resolve("intruder")), this.realm,
				jwtSvidAssertion(jwtSvidOf("intruder")));
		assertThat(noClient.statusCode()).as("a SPIFFE ID that is no client's: " + noClient.body()).isEqualTo(401);
	}

	/**
	 * What docs/token-binding.md warns about: Keycloak does not compare the JWT-SVID's
	 * SPIFFE ID with the connection's certificate, it binds the token to whichever
	 * certificate the connection presents. The binding still holds: only that
	 * certificate's key can use the token.
	 */
	@Test
	void jwtSvidIsNotComparedWithTheConnectionsCertificate() throws Exception {
		Path intruder = this.work.resolve("intruder");
		HttpResponse<String> response = Keycloak.tokenRequest(client(intruder), this.realm,
				jwtSvidAssertion(jwtSvidOf("web")));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String token = TetherServer.JSON.readTree(response.body()).get("access_token").asString();
		assertThat(claims(token).get("cnf").get("x5t#S256").asString())
			.isEqualTo(thumbprintByCli(intruder.resolve("cert.pem")));
		assertThat(callOrders(client(this.work.resolve("web")), token).statusCode()).isEqualTo(401);

		HttpResponse<String> unbound = Keycloak.tokenRequest(
				HttpClient.newBuilder().sslContext(trustOnly(intruder)).build(), this.realm,
				jwtSvidAssertion(jwtSvidOf("web")));
		assertThat(unbound.statusCode()).as("no certificate, no bound token: " + unbound.body()).isEqualTo(400);
		assertThat(unbound.body()).contains("Client Certification missing for MTLS HoK Token Binding");
	}

	/** The JWT-SVID for Keycloak's realm that the agent keeps in the workload's files. */
	private String jwtSvidOf(String name) throws IOException {
		return Files.readString(this.work.resolve(name).resolve("keycloak.jwt")).strip();
	}

	/**
	 * A JWT-SVID as the CA makes them ({@code sub} the SPIFFE ID, {@code aud} Keycloak's
	 * realm, ES256, two minutes), signed by the key given: a forgery.
	 */
	private String jwtSvid(String spiffeId, ECKey key) throws JOSEException {
		Instant now = Instant.now();
		SignedJWT svid = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				new JWTClaimsSet.Builder().subject(spiffeId)
					.audience(this.realm)
					.issueTime(Date.from(now))
					.expirationTime(Date.from(now.plusSeconds(120)))
					.build());
		svid.sign(new ECDSASigner(key));
		return svid.serialize();
	}

	private static Map<String, String> jwtSvidAssertion(String svid) {
		return Map.of("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-spiffe",
				"client_assertion", svid);
	}

	/** {@code tether thumbprint FILE}, the CLI an operator would use. */
	private String thumbprintByCli(Path certificate) {
		TetherCommand.Result result = new TetherCommand(this.work,
				Map.of("TETHER_CONFIG", this.ca.adminDir().resolve("config.yaml").toString()))
			.run("thumbprint", certificate.toString());
		assertThat(result.exitCode()).as(result.toString()).isZero();
		String thumbprint = result.out().strip();
		assertThat(thumbprint).hasSize(43);
		return thumbprint;
	}

	private HttpResponse<String> callOrders(HttpClient http, String token) throws Exception {
		return http.send(HttpRequest.newBuilder(this.orders.uri()).header("Authorization", "Bearer " + token).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * An agent process on host {@code host} feeding one workload per name into
	 * {@code work/<name>/}.
	 */
	private void startAgent(String host, List<String> names) throws IOException {
		StringBuilder workloads = new StringBuilder();
		for (String name : names) {
			Path out = this.work.resolve(name);
			workloads.append("""
					  - spiffeId: %s
					    outputs: {certificate: %s/cert.pem, key: %s/key.pem, bundle: %s/bundle.pem}
					""".formatted(id("ns/" + name), out, out, out));
			if (name.equals("web") || name.equals("intruder")) {
				workloads.append("""
						    jwtSvids: [{audience: %s, file: %s/keycloak.jwt}]
						""".formatted(this.realm, out));
			}
		}
		Path config = this.work.resolve(host + ".yaml");
		Files.writeString(config, """
				servers: [%s]
				joinToken: %s
				dataDir: %s
				workloads:
				%s""".formatted(this.ca.url(), this.ca.createToken(host), this.work.resolve(host + "-data"),
				workloads));
		this.closeables.add(RunningProcess.start(AgentProcess.command(config), this.work.resolve(host + ".log")));
		for (String name : names) {
			Path key = this.work.resolve(name).resolve("key.pem");
			RunningProcess.await(key + " written", Duration.ofSeconds(60), () -> Files.exists(key));
		}
		for (String name : List.of("web", "intruder")) {
			Path svid = this.work.resolve(name).resolve("keycloak.jwt");
			RunningProcess.await(svid + " written", Duration.ofSeconds(60), () -> Files.exists(svid));
		}
	}

	private static X500Principal subjectOf(Path credentials) throws IOException {
		return Pem.readCertificates(Files.readString(credentials.resolve("cert.pem"))).get(0).getSubjectX500Principal();
	}

	private static X509Certificate selfSigned(X500Principal subject, KeyPair keys) throws Exception {
		Instant now = Instant.now();
		return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(subject, BigInteger.TWO,
				Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(600)), subject, keys.getPublic())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
	}

	/**
	 * A client that always presents this certificate, trusting the workload's bundle.
	 */
	private static HttpClient presenting(PrivateKey key, List<X509Certificate> chain, Path credentials)
			throws Exception {
		X509ExtendedKeyManager always = new X509ExtendedKeyManager() {

			@Override
			public String[] getClientAliases(String keyType, Principal[] issuers) {
				return new String[] { "client" };
			}

			@Override
			public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
				return "client";
			}

			@Override
			public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
				return "client";
			}

			@Override
			public String[] getServerAliases(String keyType, Principal[] issuers) {
				return null;
			}

			@Override
			public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
				return null;
			}

			@Override
			public X509Certificate[] getCertificateChain(String alias) {
				return chain.toArray(X509Certificate[]::new);
			}

			@Override
			public PrivateKey getPrivateKey(String alias) {
				return key;
			}

		};
		KeyStore anchors = KeyStore.getInstance("PKCS12");
		anchors.load(null, null);
		List<X509Certificate> bundle = Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem")));
		for (int i = 0; i < bundle.size(); i++) {
			anchors.setCertificateEntry("anchor-" + i, bundle.get(i));
		}
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(anchors);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new KeyManager[] { always }, trust.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(context).build();
	}

	/** The subject of a workload's certificate as Keycloak compares it (RFC 2253). */
	private static String subject(Path credentials) throws IOException {
		return subjectOf(credentials).getName(X500Principal.RFC2253);
	}

	private static String json(String value) {
		return TetherServer.JSON.writeValueAsString(value);
	}

	private static JsonNode claims(String token) {
		return TetherServer.JSON
			.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
	}

	private static HttpClient client(Path credentials) throws IOException {
		return HttpClient.newBuilder().sslContext(context(credentials)).build();
	}

	private static SSLContext context(Path credentials) throws IOException {
		return TlsContexts.mutual(Pem.readPrivateKey(Files.readString(credentials.resolve("key.pem"))),
				Pem.readCertificates(Files.readString(credentials.resolve("cert.pem"))),
				Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem"))));
	}

	private static SSLContext trustOnly(Path credentials) throws IOException {
		return TlsContexts.trusting(Pem.readCertificates(Files.readString(credentials.resolve("bundle.pem"))));
	}

	private static String id(String path) {
		return "spiffe://" + TD + "/" + path;
	}

}
