package io.tether.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.tether.pki.TlsContexts;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerClientTest {

	private final TestPki pki = TestPki.root().intermediate();

	private final TestPki.Issued agent = this.pki.leaf("spiffe://td.example/agent/host-1");

	private final List<HttpsServer> servers = new ArrayList<>();

	@AfterEach
	void stop() {
		this.servers.forEach((server) -> server.stop(0));
	}

	@Test
	void anUnreachableServerIsSkippedForTheNext() throws Exception {
		URI up = serve("localhost", 200, "{\"entries\":[]}", new AtomicInteger());

		Map<String, Object> answer = client(closedPort(), up).get("/v1/agents/self/entries");

		assertThat(answer).containsEntry("entries", List.of());
	}

	@Test
	void aServerErrorMovesOnToTheNextServer() throws Exception {
		AtomicInteger second = new AtomicInteger();
		URI failing = serve("localhost", 503, "{\"type\":\"about:blank\",\"detail\":\"database down\"}",
				new AtomicInteger());
		URI up = serve("localhost", 200, "{\"ok\":true}", second);

		assertThat(client(failing, up).get("/v1/status")).containsEntry("ok", true);
		assertThat(second).hasValue(1);
	}

	@Test
	void aThrottledRequestIsNoRefusalAndMovesOnToTheNextServer() throws Exception {
		AtomicInteger second = new AtomicInteger();
		URI throttling = serve("localhost", 429,
				"{\"type\":\"urn:tether:problem:too-many-requests\",\"detail\":\"Too many enrollment attempts\"}",
				new AtomicInteger());
		URI up = serve("localhost", 200, "{\"ok\":true}", second);

		assertThat(client(throttling, up).post("/v1/agents/enroll", Map.of("joinToken", "t"))).containsEntry("ok",
				true);
		assertThat(second).hasValue(1);
		assertThatThrownBy(() -> client(throttling).post("/v1/agents/enroll", Map.of("joinToken", "t")))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isFalse())
			.hasMessageContaining("(429)");
	}

	@Test
	void aRefusalIsFinalCarriesTheProblemAndIsNotAskedElsewhere() throws Exception {
		AtomicInteger second = new AtomicInteger();
		URI refusing = serve("localhost", 403,
				"{\"type\":\"https://tether.dev/problems/not-your-entry\",\"detail\":\"entry 7 belongs to host-2\"}",
				new AtomicInteger());
		URI other = serve("localhost", 200, "{}", second);

		assertThatThrownBy(() -> client(refusing, other).post("/v1/agents/self/certificates", Map.of("csr", "x")))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isTrue())
			.hasMessageContaining("(403)")
			.hasMessageContaining("not-your-entry: entry 7 belongs to host-2");
		assertThat(second).hasValue(0);
	}

	@Test
	void postsItsBodyAsJson() throws Exception {
		List<String> received = new ArrayList<>();
		HttpsServer server = start("localhost");
		server.createContext("/", (exchange) -> {
			received.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type") + " "
					+ new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			respond(exchange, 200, "{}");
		});

		client(uri(server)).post("/v1/agents/self/renew", Map.of("csr", "line 1\nline \"2\""));

		assertThat(received).containsExactly("POST application/json {\"csr\":\"line 1\\nline \\\"2\\\"\"}");
	}

	@Test
	void aServerWhoseCertificateDoesNotNameTheHostIsNotTalkedTo() throws Exception {
		AtomicInteger hits = new AtomicInteger();
		URI wrongName = serve("ca.elsewhere.example", 200, "{}", hits);

		assertThatThrownBy(() -> client(wrongName).get("/v1/status"))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isFalse())
			.hasMessageContaining("unreachable")
			.hasMessageContaining("No subject alternative DNS name matching localhost");
		assertThat(hits).hasValue(0);
	}

	@Test
	void anAnswerThatIsNotJsonOrTooLargeIsAFailureNotACrash() throws Exception {
		URI html = serve("localhost", 200, "<html>proxy login</html>", new AtomicInteger());
		URI huge = serve("localhost", 200, "{\"a\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}", new AtomicInteger());

		assertThatThrownBy(() -> client(html).get("/v1/status"))
			.hasMessageContaining("something other than a JSON object");
		assertThatThrownBy(() -> client(huge).get("/v1/status")).hasMessageContaining("answer larger than");
	}

	@Test
	void aRefusedJoinTokenCarriesTheServersReasonToo() throws Exception {
		HttpsServer server = start("localhost");
		server.createContext("/", (exchange) -> {
			exchange.getRequestBody().readAllBytes();
			exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
			respond(exchange, 401, "{\"type\":\"https://tether.dev/problems/join-token-invalid\","
					+ "\"detail\":\"join token already used\"}");
		});

		assertThatThrownBy(() -> client(uri(server)).post("/v1/agents/enroll", Map.of("joinToken", "tj1.a.b.c")))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isTrue())
			.hasMessageContaining("(401)")
			.hasMessageContaining("join token already used");
	}

	@Test
	void aServerThatTricklesItsAnswerIsCutOffAtTheRequestDeadline() throws Exception {
		HttpsServer server = start("localhost");
		server.createContext("/", (exchange) -> {
			exchange.sendResponseHeaders(200, 1000);
			try (OutputStream out = exchange.getResponseBody()) {
				for (int i = 0; i < 1000; i++) {
					out.write(' ');
					out.flush();
					Thread.sleep(100);
				}
			}
			catch (InterruptedException | IOException ex) {
				// the client hung up: what this test wants
			}
		});
		Instant start = Instant.now();

		assertThatThrownBy(() -> client(uri(server)).withRequestTimeout(Duration.ofSeconds(1)).get("/v1/status"))
			.isInstanceOf(ServerClient.ServerException.class)
			.hasMessageContaining("no complete answer within 1 s");
		assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(10));
	}

	@Test
	void aServerThatIsNotTheCaTheJoinTokenPinsIsARefusalAndHearsNothing() throws Exception {
		AtomicInteger hits = new AtomicInteger();
		URI other = serve("localhost", 200, "{}", hits);

		assertThatThrownBy(() -> ServerClient.pinned(List.of(other), "ab".repeat(32))
			.post("/v1/agents/enroll", Map.of("joinToken", "tj1.a.b.c")))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isTrue())
			.hasMessageContaining("is not the CA the join token pins")
			.hasMessageContaining("does not contain the root CA pinned by the join token");
		assertThat(hits).hasValue(0);
	}

	@Test
	void aServerOutsideThePinIsNoRefusalWhileAnotherMayYetAnswer() throws Exception {
		URI other = serve("localhost", 200, "{}", new AtomicInteger());

		assertThatThrownBy(() -> ServerClient.pinned(List.of(other, closedPort()), "ab".repeat(32))
			.post("/v1/agents/enroll", Map.of("joinToken", "tj1.a.b.c")))
			.isInstanceOfSatisfying(ServerClient.ServerException.class, (ex) -> assertThat(ex.isRefused()).isFalse());
	}

	private ServerClient client(URI... servers) {
		return ServerClient.mutual(List.of(servers), this.agent.keys().getPrivate(), this.agent.chain(),
				List.of(this.pki.rootCredential().certificate()));
	}

	private URI serve(String dnsName, int status, String body, AtomicInteger hits) throws IOException {
		HttpsServer server = start(dnsName);
		server.createContext("/", (exchange) -> {
			hits.incrementAndGet();
			exchange.getRequestBody().readAllBytes();
			respond(exchange, status, body);
		});
		return uri(server);
	}

	private HttpsServer start(String dnsName) throws IOException {
		TestPki.Issued identity = this.pki.leaf("spiffe://td.example/tether/server", dnsName);
		HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
		server.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.mutual(identity.keys().getPrivate(),
				identity.chain(), List.of(this.pki.rootCredential().certificate()))));
		server.start();
		this.servers.add(server);
		return server;
	}

	private static URI uri(HttpsServer server) {
		return URI.create("https://localhost:" + server.getAddress().getPort() + "/");
	}

	private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
			throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private static URI closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return URI.create("https://localhost:" + socket.getLocalPort() + "/");
		}
	}

}
