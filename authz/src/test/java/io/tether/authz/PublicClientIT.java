package io.tether.authz;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.SignInBrowser;
import io.tether.workload.binding.DpopProofSigner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A public client (a CLI) with no credentials of its own: a person signs in at authz's
 * sign-in page, the client redeems the code with PKCE and a DPoP proof, and the token is
 * the person's, bound to the client's DPoP key. Without a proof there is no token, and
 * the refusal leaves the code redeemable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PublicClientIT {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String CALLBACK = "http://127.0.0.1:47011/callback";

	@TempDir
	static Path dir;

	private AuthzFixture fixture;

	private ConfigurableApplicationContext authz;

	private HttpClient http;

	@BeforeAll
	void start() throws Exception {
		this.fixture = new AuthzFixture(dir);
		BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(4);
		this.authz = this.fixture.start(null, "--tether.authz.data-dir=" + dir.resolve("data"),
				"--tether.authz.public-clients[0].client-id=tether-cli",
				"--logging.level.org.springframework.security=TRACE",
				"--tether.authz.public-clients[0].scopes=orders.read,orders.write",
				"--tether.authz.public-clients[0].audiences=orders", "--tether.authz.public-clients[0].token-ttl=PT1H",
				"--tether.authz.users[0].name=alice",
				"--tether.authz.users[0].password={bcrypt}" + bcrypt.encode("alice's secret"),
				"--tether.authz.users[1].name=bob", "--tether.authz.users[1].password={bcrypt}" + bcrypt.encode("bob"),
				"--tether.authz.users[1].scopes=orders.read");
		this.http = HttpClient.newBuilder().sslContext(TlsContexts.trusting(this.fixture.trustAnchors())).build();
	}

	@AfterAll
	void stop() {
		if (this.http != null) {
			this.http.close();
		}
		if (this.fixture != null) {
			this.fixture.close();
		}
	}

	@Test
	void personSignsInAndTheClientGetsTheirTokenBoundToItsDpopKey() throws Exception {
		String verifier = random();
		SignInBrowser.Landing landing = signIn("alice", "alice's secret", "orders.read", verifier, CALLBACK);
		assertThat(landing.uri().toString()).startsWith(CALLBACK + "?");
		assertThat(landing.parameter("state")).isEqualTo("s1");
		String code = landing.parameter("code");
		assertThat(code).isNotBlank();

		HttpResponse<String> bearer = redeem(code, verifier, CALLBACK, null);
		assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(400);
		assertThat(JSON.readTree(bearer.body()).get("error").asString()).as(bearer.body()).isEqualTo("invalid_request");
		assertThat(bearer.body()).contains("DPoP proof is required");

		DpopProofSigner key = DpopProofSigner.generate(Clock.systemUTC());
		HttpResponse<String> bound = redeem(code, verifier, CALLBACK, key);
		assertThat(bound.statusCode()).as("the refusal did not use up the code: " + bound.body()).isEqualTo(200);
		JsonNode response = JSON.readTree(bound.body());
		assertThat(response.get("token_type").asString()).isEqualTo("DPoP");
		assertThat(response.get("expires_in").asLong()).isBetween(3590L, 3600L);
		assertThat(response.has("refresh_token")).isFalse();
		JWTClaimsSet claims = SignedJWT.parse(response.get("access_token").asString()).getJWTClaimsSet();
		assertThat(claims.getSubject()).isEqualTo("alice");
		assertThat(claims.getStringClaim("client_id")).isEqualTo("tether-cli");
		assertThat(claims.getAudience()).containsExactly("orders");
		assertThat(claims.getJSONObjectClaim("cnf")).isEqualTo(Map.of("jkt", key.thumbprint()));
		assertThat(this.fixture.verifies(this.authz, response.get("access_token").asString())).isTrue();

		HttpResponse<String> again = redeem(code, verifier, CALLBACK, DpopProofSigner.generate(Clock.systemUTC()));
		assertThat(again.statusCode()).as(again.body()).isEqualTo(400);
		assertThat(again.body()).contains("invalid_grant");
	}

	@Test
	void theCodeIsWorthNothingWithoutItsPkceVerifier() throws Exception {
		String verifier = random();
		String code = signIn("alice", "alice's secret", "orders.read", verifier, CALLBACK).parameter("code");
		HttpResponse<String> response = redeem(code, random(), CALLBACK, DpopProofSigner.generate(Clock.systemUTC()));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
		assertThat(response.body()).contains("invalid_grant");
	}

	@Test
	void aWrongPasswordStaysOnTheSignInPage() throws Exception {
		SignInBrowser.Landing landing = signIn("alice", "guess", "orders.read", random(), CALLBACK);
		assertThat(landing.uri().getPath()).isEqualTo("/login");
		assertThat(landing.uri().getQuery()).isEqualTo("error");
		assertThat(landing.parameter("code")).isNull();
	}

	@Test
	void aPersonGetsOnlyTheScopesTheirEntryAllows() throws Exception {
		SignInBrowser.Landing denied = signIn("bob", "bob", "orders.write", random(), CALLBACK);
		assertThat(denied.uri().toString()).startsWith(CALLBACK + "?");
		assertThat(denied.parameter("error")).isEqualTo("access_denied");
		assertThat(denied.parameter("code")).isNull();

		assertThat(signIn("bob", "bob", "orders.read", random(), CALLBACK).parameter("code")).isNotBlank();
	}

	@Test
	void theSignInReturnsOnlyToTheClientsLoopbackAddress() throws Exception {
		SignInBrowser.Landing elsewhere = signIn("alice", "alice's secret", "orders.read", random(),
				"https://attacker.test/callback");
		assertThat(elsewhere.status()).isEqualTo(400);
		assertThat(elsewhere.leftServer(base())).isFalse();
		assertThat(elsewhere.body()).contains("redirect_uri").doesNotContain("attacker.test");

		SignInBrowser.Landing otherPort = signIn("alice", "alice's secret", "orders.read", random(),
				"http://127.0.0.1:51234/callback");
		assertThat(otherPort.uri().getPort()).as("RFC 8252 §7.3: any port on loopback").isEqualTo(51234);
		assertThat(otherPort.parameter("code")).isNotBlank();
	}

	@Test
	void aPublicClientCannotGetATokenWithoutAPerson() throws Exception {
		HttpResponse<String> response = this.http
			.send(HttpRequest.newBuilder(AuthzFixture.uri(this.authz, "/oauth2/token"))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("DPoP", DpopProofSigner.generate(Clock.systemUTC()).proof("POST", tokenEndpoint(), null, null))
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=tether-cli"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(JSON.readTree(response.body()).get("error").asString()).isEqualTo("invalid_client");

		HttpResponse<String> elsewhere = this.http.send(
				HttpRequest.newBuilder(AuthzFixture.uri(this.authz, "/nothing-here")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(elsewhere.statusCode()).isEqualTo(401);
		assertThat(elsewhere.headers().firstValue("Content-Type")).get()
			.asString()
			.startsWith("application/problem+json");
		HttpResponse<String> forged = this.http.send(HttpRequest.newBuilder(AuthzFixture.uri(this.authz, "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("username=alice&password=x"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(forged.statusCode()).as("a sign-in without the form's CSRF token").isEqualTo(403);
		assertThat(forged.headers().firstValue("Content-Type")).get().asString().startsWith("application/problem+json");
	}

	private SignInBrowser.Landing signIn(String user, String password, String scope, String verifier,
			String redirectUri) throws Exception {
		URI authorize = URI.create(base() + "/oauth2/authorize?response_type=code&client_id=tether-cli&scope="
				+ encode(scope) + "&redirect_uri=" + encode(redirectUri) + "&state=s1&code_challenge="
				+ challenge(verifier) + "&code_challenge_method=S256");
		try (SignInBrowser browser = new SignInBrowser(this.fixture.trustAnchors())) {
			return browser.open(authorize, user, password);
		}
	}

	private HttpResponse<String> redeem(String code, String verifier, String redirectUri, DpopProofSigner key)
			throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(tokenEndpoint())
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=authorization_code&client_id=tether-cli&code="
					+ encode(code) + "&redirect_uri=" + encode(redirectUri) + "&code_verifier=" + verifier));
		if (key != null) {
			request.header("DPoP", key.proof("POST", tokenEndpoint(), null, null));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI base() {
		return AuthzFixture.uri(this.authz, "");
	}

	private URI tokenEndpoint() {
		return AuthzFixture.uri(this.authz, "/oauth2/token");
	}

	private static String random() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	private static String challenge(String verifier) throws Exception {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
