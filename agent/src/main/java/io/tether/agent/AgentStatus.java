package io.tether.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tether.pki.AtomicFiles;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;

/**
 * What the agent holds and when it renews next, for people and monitoring:
 * {@code <data-dir>/status.json} (read by {@code tether-agent status}), and when a port
 * is configured, {@code /healthz} and Prometheus {@code /metrics} on 127.0.0.1.
 */
final class AgentStatus implements AutoCloseable {

	private final Path file;

	private final Clock clock;

	private final Map<String, Item> items = new ConcurrentSkipListMap<>();

	private volatile Sync sync;

	private HttpServer server;

	AgentStatus(Path dataDir, Clock clock) {
		this.file = dataDir.resolve("status.json");
		this.clock = clock;
	}

	/**
	 * One certificate the agent keeps: its own ("agent") or a workload's, and what it
	 * waits for beyond a renewal ({@code condition}, such as "re-attesting"), if
	 * anything.
	 */
	record Item(String name, String spiffeId, String serialNumber, Instant notAfter, Instant nextAttempt,
			int consecutiveFailures, String lastError, String condition) {

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("name", this.name);
			json.put("spiffeId", this.spiffeId);
			json.put("serialNumber", this.serialNumber);
			json.put("notAfter", this.notAfter);
			json.put("nextAttempt", this.nextAttempt);
			json.put("consecutiveFailures", this.consecutiveFailures);
			json.put("lastError", this.lastError);
			json.put("condition", this.condition);
			return json;
		}

		static Item fromJson(Map<?, ?> json) {
			return new Item(Json.string(json, "name"), optional(json, "spiffeId"), optional(json, "serialNumber"),
					instant(json, "notAfter"), instant(json, "nextAttempt"), count(json, "consecutiveFailures"),
					optional(json, "lastError"), optional(json, "condition"));
		}

	}

	/**
	 * The last sync with the server's bundle.
	 *
	 * @param at when it ran
	 * @param outcome {@code unchanged}, {@code changed} (and what was kept) or
	 * {@code failed}
	 * @param error why it failed, or {@code null}
	 * @param roots the roots of the server's bundle: subject and SHA-256 of each
	 */
	record Sync(Instant at, String outcome, String error, List<String> roots) {

		Map<String, Object> toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("at", this.at);
			json.put("outcome", this.outcome);
			json.put("error", this.error);
			json.put("roots", this.roots);
			return json;
		}

		static Sync fromJson(Map<?, ?> json) {
			List<String> roots = new ArrayList<>();
			for (Object root : Json.array(json, "roots")) {
				roots.add(String.valueOf(root));
			}
			return new Sync(instant(json, "at"), Json.string(json, "outcome"), optional(json, "error"), roots);
		}

	}

	/**
	 * @param sync the last sync, or {@code null} before the first
	 */
	record Snapshot(Instant updatedAt, List<Item> certificates, Sync sync) {

		String toJson() {
			Map<String, Object> json = new LinkedHashMap<>();
			json.put("updatedAt", this.updatedAt);
			json.put("certificates", this.certificates.stream().map(Item::toJson).toList());
			if (this.sync != null) {
				json.put("sync", this.sync.toJson());
			}
			return Json.write(json, true) + "\n";
		}

		static Snapshot fromJson(String text) {
			Map<String, Object> json = Json.parseObject(text);
			List<Item> items = new ArrayList<>();
			for (Object item : Json.array(json, "certificates")) {
				if (!(item instanceof Map<?, ?> map)) {
					throw new Json.JsonException("'certificates' holds something other than objects");
				}
				items.add(Item.fromJson(map));
			}
			Sync sync = (json.get("sync") instanceof Map<?, ?> map) ? Sync.fromJson(map) : null;
			return new Snapshot(instant(json, "updatedAt"), items, sync);
		}

	}

	private static int count(Map<?, ?> json, String name) {
		Object value = json.get(name);
		if (value == null) {
			return 0;
		}
		try {
			if (value instanceof BigDecimal number) {
				return number.intValueExact();
			}
		}
		catch (ArithmeticException ex) {
			// not a whole number: said below
		}
		throw new Json.JsonException("'" + name + "' is not a count: " + value);
	}

	private static String optional(Map<?, ?> json, String name) {
		return (json.get(name) == null) ? null : Json.string(json, name);
	}

	private static Instant instant(Map<?, ?> json, String name) {
		String value = optional(json, name);
		try {
			return (value == null) ? null : Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new Json.JsonException("'" + name + "' is not an instant: " + value);
		}
	}

	/**
	 * Records where a renewable stands after an attempt, all at once (one write of the
	 * status file per attempt).
	 * @param certificate the certificate it holds, or {@code null}
	 * @param nextAttempt when it is tried next, or {@code null} for never
	 * @param failures consecutive failed attempts
	 * @param error the last failure's reason, or {@code null} after a success
	 */
	void record(String name, X509Certificate certificate, Instant nextAttempt, int failures, String error) {
		record(name, null, certificate, nextAttempt, failures, error);
	}

	/**
	 * Records where a renewable stands, and what it waits for.
	 * @param condition what it waits for beyond a renewal, or {@code null} for nothing
	 */
	void record(String name, String condition, X509Certificate certificate, Instant nextAttempt, int failures,
			String error) {
		String spiffeId = (certificate != null) ? SpiffeId.of(certificate).map(SpiffeId::toString).orElse(null) : null;
		this.items.put(name,
				new Item(name, spiffeId,
						(certificate != null) ? SerialNumbers.toHex(certificate.getSerialNumber()) : null,
						(certificate != null) ? certificate.getNotAfter().toInstant() : null, nextAttempt, failures,
						error, condition));
		save();
	}

	/**
	 * Records where a JWT-SVID the agent keeps in a file stands.
	 * @param expiresAt when the token in the file expires, or {@code null} for none yet
	 * @param nextAttempt when the next is obtained
	 * @param failures consecutive failed attempts
	 * @param error the last failure's reason, or {@code null} after a success
	 */
	void recordToken(String name, String spiffeId, Instant expiresAt, Instant nextAttempt, int failures, String error) {
		this.items.put(name, new Item(name, spiffeId, null, expiresAt, nextAttempt, failures, error, null));
		save();
	}

	/**
	 * Records the outcome of a sync with the server's bundle.
	 * @param error why it failed, or {@code null}
	 * @param roots the roots of the server's bundle as last synced
	 */
	void recordSync(Instant at, String outcome, String error, List<X509Certificate> roots) {
		this.sync = new Sync(at, outcome, error,
				roots.stream()
					.map((root) -> root.getSubjectX500Principal().getName() + " SHA-256 " + Thumbprints.sha256Hex(root))
					.toList());
		save();
	}

	Snapshot snapshot() {
		return new Snapshot(this.clock.instant(), new ArrayList<>(this.items.values()), this.sync);
	}

	private synchronized void save() {
		try {
			AtomicFiles.write(this.file, snapshot().toJson().getBytes(StandardCharsets.UTF_8), AtomicFiles.PUBLIC_READ);
		}
		catch (IOException ex) {
			Log.warn("cannot write " + this.file + ": " + ex.getMessage());
		}
	}

	/**
	 * Reads what a running (or the last) agent wrote.
	 * @throws IOException if the file cannot be read or is not a status file
	 */
	static Snapshot read(Path dataDir) throws IOException {
		Path file = dataDir.resolve("status.json");
		try {
			return Snapshot.fromJson(Files.readString(file));
		}
		catch (Json.JsonException ex) {
			throw new IOException(file + " is not an agent status file: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Serves {@code /healthz} and {@code /metrics} on 127.0.0.1 only.
	 */
	void serve(int port) throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
		this.server.createContext("/healthz", (exchange) -> {
			String problems = problems();
			respond(exchange, "text/plain", problems.isEmpty() ? 200 : 503, problems.isEmpty() ? "ok\n" : problems);
		});
		this.server.createContext("/metrics",
				(exchange) -> respond(exchange, "text/plain; version=0.0.4", 200, metrics()));
		this.server.start();
		Log.info("status listening address=127.0.0.1:" + this.server.getAddress().getPort());
	}

	/** The port {@link #serve} listens on (the one the system chose for 0). */
	int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * What makes the agent unhealthy, for {@code /healthz}: what it waits for (a new join
	 * token...), a line each, else an expired certificate; empty when healthy.
	 */
	String problems() {
		StringBuilder conditions = new StringBuilder();
		for (Item item : this.items.values()) {
			if (item.condition() != null) {
				conditions.append(item.name()).append(": ").append(item.condition()).append('\n');
			}
		}
		if (!conditions.isEmpty()) {
			return conditions.toString();
		}
		Instant now = this.clock.instant();
		boolean expired = this.items.values()
			.stream()
			.anyMatch((item) -> item.notAfter() != null && !item.notAfter().isAfter(now));
		return expired ? "certificate expired\n" : "";
	}

	String metrics() {
		StringBuilder out = new StringBuilder();
		out.append("# HELP tether_agent_certificate_not_after_seconds When the certificate expires (Unix time).\n");
		out.append("# TYPE tether_agent_certificate_not_after_seconds gauge\n");
		for (Item item : this.items.values()) {
			if (item.notAfter() != null) {
				out.append("tether_agent_certificate_not_after_seconds{name=\"")
					.append(escape(item.name()))
					.append("\",spiffe_id=\"")
					.append(escape(item.spiffeId()))
					.append("\"} ")
					.append(item.notAfter().getEpochSecond())
					.append('\n');
			}
		}
		out.append(
				"# HELP tether_agent_renewal_consecutive_failures Failed renewal attempts since the last success.\n");
		out.append("# TYPE tether_agent_renewal_consecutive_failures gauge\n");
		for (Item item : this.items.values()) {
			out.append("tether_agent_renewal_consecutive_failures{name=\"")
				.append(escape(item.name()))
				.append("\"} ")
				.append(item.consecutiveFailures())
				.append('\n');
		}
		Sync last = this.sync;
		if (last != null) {
			out.append("# HELP tether_agent_sync_last_run_seconds When the agent last synced with the server's bundle"
					+ " (Unix time), by outcome.\n");
			out.append("# TYPE tether_agent_sync_last_run_seconds gauge\n");
			out.append("tether_agent_sync_last_run_seconds{outcome=\"")
				.append(last.outcome().equals("failed") ? "failed" : "ok")
				.append("\"} ")
				.append(last.at().getEpochSecond())
				.append('\n');
		}
		return out.toString();
	}

	private static String escape(String value) {
		return (value == null) ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	private static void respond(HttpExchange exchange, String type, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", type);
		exchange.sendResponseHeaders(status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public synchronized void close() {
		if (this.server != null) {
			this.server.stop(0);
			this.server = null;
		}
	}

}
