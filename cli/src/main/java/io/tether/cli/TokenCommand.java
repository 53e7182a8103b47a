package io.tether.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.net.ssl.SSLException;

import io.tether.api.Durations;
import io.tether.api.JoinToken;
import io.tether.api.JoinTokenRequest;
import io.tether.pki.Pem;
import io.tether.pki.TlsContexts;
import io.tether.workload.binding.DpopProofSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "token", mixinStandardHelpOptions = true,
		description = "Join tokens for agents; DPoP-bound access tokens for a person at a terminal.",
		subcommands = { TokenCommand.Create.class, TokenCommand.Get.class, TokenCommand.Proof.class },
		footer = { "", "Example:", "  TOKEN=$(tether token create --agent host-1)",
				"  AT=$(tether token get --dpop --authz https://authz.example:9443 --bundle bundle.pem --scope orders.read)",
				"  curl -H \"Authorization: DPoP $AT\" -H \"DPoP: $(tether token proof --url https://orders.example/orders --token $AT)\" https://orders.example/orders" })
class TokenCommand extends GroupCommand {

	@Command(name = "create", mixinStandardHelpOptions = true,
			description = "A join token for one agent name: single use, expiring. Prints only the token "
					+ "(for $(...)); -o json adds the agent and expiry.",
			footer = { "", "Example:", "  TOKEN=$(tether token create --agent host-1 --ttl 15m)" })
	static class Create extends ApiCommand {

		@Option(names = "--agent", required = true, paramLabel = "NAME", description = "the agent that may use it")
		String agent;

		@Option(names = "--ttl", paramLabel = "DURATION", converter = DurationText.class,
				description = "how long it stays valid (default 15m)")
		String ttl;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<JoinToken> token = api.post("/v1/join-tokens", new JoinTokenRequest(this.agent, this.ttl),
					JoinToken.class);
			if (format == OutputFormat.JSON) {
				printJson(token.json());
			}
			else {
				out().println(token.value().token());
				out().flush();
			}
			return ExitCode.OK;
		}

	}

	@Command(name = "get", mixinStandardHelpOptions = true,
			description = {
					"An access token for you, from Tether's authorization server, bound to your DPoP key "
							+ "(RFC 9449): useless to anyone who copies it without the key.",
					"Prints an address to open in a browser, where you sign in; waits on 127.0.0.1 for the browser "
							+ "to come back (RFC 8252), then redeems the code with PKCE and a DPoP proof. Prints only "
							+ "the token (for $(...)); -o json adds its type, expiry, scope and key thumbprint.",
					"The key is made on first use and kept in --dpop-key (owner-only); send each request with "
							+ "'Authorization: DPoP <token>' and a fresh proof from 'tether token proof'." },
			footer = { "", "Example:",
					"  AT=$(tether token get --dpop --authz https://authz.example:9443 --bundle bundle.pem --scope orders.read)" })
	static class Get implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--dpop", required = true,
				description = "required: people get only DPoP-bound tokens (there is no bearer mode)")
		boolean dpop;

		@Option(names = "--authz", paramLabel = "URL",
				description = "the authorization server (default: $TETHER_AUTHZ_URL)")
		URI authz;

		@Option(names = "--bundle", paramLabel = "FILE",
				description = "PEM trust anchors for its certificate (default: the bundle of the CLI configuration)")
		Path bundle;

		@Option(names = "--client-id", paramLabel = "ID", defaultValue = "tether-cli",
				description = "the public client configured at the server (default: ${DEFAULT-VALUE})")
		String clientId;

		@Option(names = "--scope", paramLabel = "SCOPE", split = ",",
				description = "scopes to ask for, comma-separated")
		List<String> scopes;

		@Option(names = "--dpop-key", paramLabel = "FILE",
				description = "your DPoP private key, made when missing (default: ~/.config/tether/dpop-key.pem)")
		Path key;

		@Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
				description = "the loopback port the browser returns to (default: any free one)")
		int port;

		@Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationText.class,
				description = "how long to wait for the sign-in (default: ${DEFAULT-VALUE})")
		String timeout;

		@Option(names = { "-o", "--output" }, paramLabel = "FORMAT",
				description = "table (default: the token alone) or json")
		OutputFormat output;

		@Override
		public Integer call() {
			Map<String, String> environment = TetherCli.environment(this.spec);
			if (this.output != null && this.output != OutputFormat.TABLE && this.output != OutputFormat.JSON) {
				throw new CliException(ExitCode.USAGE, "'-o " + this.output.name().toLowerCase()
						+ "' is not available here; use one of [table, json]");
			}
			URI server = authz(environment);
			List<X509Certificate> trust = trust(environment);
			Path keyFile = (this.key != null) ? this.key : DpopKeyFile.defaultPath(environment);
			DpopProofSigner signer = DpopKeyFile.loadOrCreate(keyFile);
			String scope = (this.scopes != null) ? String.join(" ", this.scopes) : null;
			String code;
			String redirectUri;
			String verifier;
			try (LoopbackSignIn signIn = new LoopbackSignIn(this.port)) {
				this.spec.commandLine()
					.getErr()
					.println("Open this address in a browser and sign in (waiting " + this.timeout + "):\n  "
							+ signIn.authorizationRequest(server, this.clientId, scope));
				this.spec.commandLine().getErr().flush();
				code = signIn.awaitCode(Durations.parse(this.timeout));
				redirectUri = signIn.redirectUri();
				verifier = signIn.verifier();
			}
			Map<String, String> form = new LinkedHashMap<>();
			form.put("grant_type", "authorization_code");
			form.put("client_id", this.clientId);
			form.put("code", code);
			form.put("redirect_uri", redirectUri);
			form.put("code_verifier", verifier);
			JsonNode token = redeem(server, trust, signer, LoopbackSignIn.form(form));
			if (this.output == OutputFormat.JSON) {
				ObjectNode json = ApiClient.JSON.createObjectNode();
				json.put("access_token", token.path("access_token").asString());
				json.put("token_type", token.path("token_type").asString());
				json.put("expires_in", token.path("expires_in").asLong());
				json.put("expires_at", Instant.now().plusSeconds(token.path("expires_in").asLong()).toString());
				json.put("scope", token.path("scope").asString(""));
				json.put("jkt", signer.thumbprint());
				json.put("dpop_key", keyFile.toAbsolutePath().toString());
				this.spec.commandLine()
					.getOut()
					.println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
			}
			else {
				this.spec.commandLine().getOut().println(token.path("access_token").asString());
			}
			this.spec.commandLine().getOut().flush();
			return ExitCode.OK;
		}

		private URI authz(Map<String, String> environment) {
			String text = (this.authz != null) ? this.authz.toString() : environment.get("TETHER_AUTHZ_URL");
			if (text == null || text.isBlank()) {
				throw new CliException(ExitCode.USAGE,
						"Which authorization server? Pass --authz URL or set TETHER_AUTHZ_URL");
			}
			URI uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
			if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
				throw new CliException(ExitCode.USAGE,
						"--authz must be an https:// URL with a host, not '" + text + "'");
			}
			return uri;
		}

		private List<X509Certificate> trust(Map<String, String> environment) {
			Path file = this.bundle;
			if (file == null) {
				try {
					file = CliConfig.resolve(null, environment).bundle();
				}
				catch (CliException ex) {
					throw new CliException(ExitCode.USAGE,
							"Which certificates does the authorization server's chain to? Pass --bundle FILE "
									+ "(tether bundle show > bundle.pem writes one), or configure the CLI");
				}
			}
			try {
				List<X509Certificate> anchors = Pem.readCertificates(Files.readString(file, StandardCharsets.US_ASCII));
				if (anchors.isEmpty()) {
					throw new CliException(ExitCode.USAGE, file + " holds no PEM certificate");
				}
				return anchors;
			}
			catch (IOException ex) {
				throw new CliException(ExitCode.USAGE, "Cannot read the bundle " + file + " (" + ex + ")");
			}
			catch (IllegalArgumentException ex) {
				throw new CliException(ExitCode.USAGE, file + ": " + ex.getMessage());
			}
		}

		/**
		 * The token request, once more with the server's nonce when it asks for one (RFC
		 * 9449 §8).
		 */
		private static JsonNode redeem(URI server, List<X509Certificate> trust, DpopProofSigner signer, String form) {
			URI endpoint = URI.create(server + "/oauth2/token");
			try (HttpClient http = HttpClient.newBuilder()
				.sslContext(TlsContexts.trusting(trust))
				.connectTimeout(Duration.ofSeconds(10))
				.build()) {
				String nonce = null;
				for (int attempt = 0; attempt < 2; attempt++) {
					HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint)
						.timeout(Duration.ofSeconds(30))
						.header("Content-Type", "application/x-www-form-urlencoded")
						.header("Accept", "application/json")
						.header("DPoP", signer.proof("POST", endpoint, null, nonce))
						.POST(HttpRequest.BodyPublishers.ofString(form))
						.build(), HttpResponse.BodyHandlers.ofString());
					JsonNode body = json(response.body());
					if (response.statusCode() == 200 && body.path("access_token").isString()) {
						if (!"DPoP".equalsIgnoreCase(body.path("token_type").asString())) {
							throw new CliException(ExitCode.FAILED, "The server issued a "
									+ body.path("token_type").asString() + " token, not a DPoP-bound one; not printed");
						}
						return body;
					}
					String error = body.path("error").asString("");
					nonce = response.headers().firstValue("DPoP-Nonce").orElse(null);
					if (!"use_dpop_nonce".equals(error) || nonce == null) {
						throw new CliException(ExitCode.REFUSED,
								"The token request was refused (HTTP " + response.statusCode()
										+ ((error.isEmpty()) ? "" : ", " + error)
										+ (body.path("error_description").isString()
												? ": " + body.path("error_description").asString() : "")
										+ ")");
					}
				}
				throw new CliException(ExitCode.REFUSED, "The server asked for a DPoP nonce twice");
			}
			catch (ConnectException ex) {
				throw new CliException(ExitCode.UNREACHABLE, "Cannot reach " + endpoint + " (" + ex + ")");
			}
			catch (SSLException ex) {
				throw new CliException(ExitCode.UNREACHABLE,
						"TLS with " + endpoint + " failed: is --bundle the right trust? (" + ex.getMessage() + ")");
			}
			catch (IOException ex) {
				throw new CliException(ExitCode.UNREACHABLE, "Talking to " + endpoint + " failed (" + ex + ")");
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new CliException(ExitCode.FAILED, "Interrupted");
			}
		}

		private static JsonNode json(String body) {
			try {
				return ApiClient.JSON.readTree(body);
			}
			catch (JacksonException ex) {
				return ApiClient.JSON.createObjectNode();
			}
		}

	}

	@Command(name = "proof", mixinStandardHelpOptions = true,
			description = { "Prints a fresh DPoP proof (RFC 9449) for one request, signed with your DPoP key: the "
					+ "'DPoP' header to send with 'Authorization: DPoP <token>'. One proof per request: a server "
					+ "refuses one it has seen." },
			footer = { "", "Example:",
					"  curl -H \"Authorization: DPoP $AT\" -H \"DPoP: $(tether token proof --url https://orders.example/orders --token $AT)\" https://orders.example/orders" })
	static class Proof implements Callable<Integer> {

		@Spec
		CommandSpec spec;

		@Option(names = "--url", required = true, paramLabel = "URL", description = "the request's URL")
		URI url;

		@Option(names = "--method", paramLabel = "METHOD", defaultValue = "GET",
				description = "the request's method (default: ${DEFAULT-VALUE})")
		String method;

		@Option(names = "--token", paramLabel = "TOKEN",
				description = "the access token sent with it (its hash goes in the proof as ath)")
		String token;

		@Option(names = "--nonce", paramLabel = "NONCE", description = "the server's DPoP-Nonce, when it asked for one")
		String nonce;

		@Option(names = "--dpop-key", paramLabel = "FILE",
				description = "your DPoP private key (default: ~/.config/tether/dpop-key.pem)")
		Path key;

		@Override
		public Integer call() {
			if (!this.url.isAbsolute() || this.url.getHost() == null
					|| !List.of("http", "https").contains(this.url.getScheme())) {
				throw new CliException(ExitCode.USAGE, "--url must be an absolute http(s) URL, not '" + this.url + "'");
			}
			if (!this.method.matches("[A-Z]+")) {
				throw new CliException(ExitCode.USAGE, "--method must be an HTTP method in capitals, such as GET");
			}
			Path file = (this.key != null) ? this.key : DpopKeyFile.defaultPath(TetherCli.environment(this.spec));
			if (!Files.isRegularFile(file)) {
				throw new CliException(ExitCode.USAGE,
						"No DPoP key at " + file + ": 'tether token get --dpop' makes it (or pass --dpop-key)");
			}
			this.spec.commandLine()
				.getOut()
				.println(DpopKeyFile.load(file).proof(this.method, this.url, this.token, this.nonce));
			this.spec.commandLine().getOut().flush();
			return ExitCode.OK;
		}

	}

}
