import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * A fleet of simulated agents against one Tether server, through the real agent API:
 * each agent enrolls with its own join token and key (so it has its own mTLS identity:
 * its own SSLContext, connections reused per agent as the real agent's
 * HttpsURLConnection does), lists its entries, then keeps each workload's certificate
 * renewed at the point the real agent would (Renewal.untilRenewal: fraction of the
 * lifetime counted from receipt, plus up to jitter of it; failures back off as
 * Renewal.backoff does), and syncs the bundle with If-None-Match every sync interval.
 * A workload's key is generated once and reused across renewals, as the agent does; each
 * renewal signs a fresh CSR.
 * <p>
 * Setup (entries and join tokens through the admin API, enrollment, entry lists) is timed
 * on its own and not counted. In the measured window, each workload's first certificate
 * is asked for at a uniformly random point of the first fraction of the lifetime (a fleet
 * that is already running, not 100,000 workloads starting in the same second), and counted
 * apart from the renewals that follow. Threads are shared: one scheduled pool of
 * --workers threads runs every agent's requests. JDK only, run with the source launcher:
 * see bench/fleet.sh.
 */
public class FleetSim {

	static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	static final Pattern SPIFFE_ID = Pattern.compile("\"spiffeId\"\\s*:\\s*\"([^\"]+)\"");

	static URI server;

	static X509TrustManager trust;

	public static void main(String[] args) throws Exception {
		// as the agent (TetherAgent): the JDK never resends a POST behind the caller's back
		System.setProperty("sun.net.http.retryPost", "false");
		Map<String, String> options = parse(args);
		server = URI.create(options.get("url"));
		String trustDomain = options.getOrDefault("trust-domain", "tether.internal");
		int workloadCount = Integer.parseInt(options.getOrDefault("workloads", "1000"));
		int agentCount = Integer.parseInt(options.getOrDefault("agents", "100"));
		Duration ttl = duration(options.getOrDefault("ttl", "1m"));
		Duration window = Duration.ofSeconds((long) (Double.parseDouble(options.getOrDefault("minutes", "2")) * 60));
		double fraction = Double.parseDouble(options.getOrDefault("fraction", "0.5"));
		double jitter = Double.parseDouble(options.getOrDefault("jitter", "0.1"));
		Duration sync = duration(options.getOrDefault("sync", "30s"));
		int workers = Integer.parseInt(options.getOrDefault("workers", "64"));
		int setupConcurrency = Integer.parseInt(options.getOrDefault("setup-concurrency", "8"));
		Db db = new Db(options.get("database"));
		Proc proc = new Proc(Long.parseLong(options.getOrDefault("server-pid", "0")),
				Integer.parseInt(options.getOrDefault("clk-tck", "100")));

		trust = trustManager(Path.of(options.get("ca")));
		SSLSocketFactory admin = mutual(readKey(Path.of(options.get("key"))),
				readChain(Files.readString(Path.of(options.get("cert")))));
		SSLContext anonymous = SSLContext.getInstance("TLS");
		anonymous.init(null, new TrustManager[] { trust }, null);
		SSLSocketFactory enrollSockets = anonymous.getSocketFactory();

		// setup
		System.out.printf("fleet: %d workloads on %d agents, certificate ttl %s, renewal at %.2f + %.2f jitter, "
				+ "bundle sync %s, %d workers, window %s%n", workloadCount, agentCount, ttl, fraction, jitter,
				sync.isZero() ? "off" : sync, workers, window);
		Agent[] agents = new Agent[agentCount];
		for (int a = 0; a < agentCount; a++) {
			agents[a] = new Agent(String.format("fleet-%05d", a));
		}
		ExecutorService setup = Executors.newFixedThreadPool(setupConcurrency);
		long t0 = System.nanoTime();
		parallel(setup, workloadCount, (w) -> {
			Agent agent = agents[w % agentCount];
			String body = "{\"spiffeId\":" + quote("spiffe://" + trustDomain + "/fleet/" + agent.name + "/w" + w)
					+ ",\"agent\":" + quote(agent.name) + ",\"ttl\":" + quote(options.getOrDefault("ttl", "1m")) + "}";
			expect(send(admin, "POST", "/v1/entries", body, null), 201, "create entry");
		});
		long t1 = System.nanoTime();
		System.out.printf("setup: %d entries in %.1f s%n", workloadCount, (t1 - t0) / 1e9);
		parallel(setup, agentCount, (a) -> {
			Response response = expect(send(admin, "POST", "/v1/join-tokens",
					"{\"agent\":" + quote(agents[a].name) + ",\"ttl\":\"PT6H\"}", null), 201, "create join token");
			agents[a].joinToken = field(response.body, "token");
		});
		long t2 = System.nanoTime();
		System.out.printf("setup: %d join tokens in %.1f s%n", agentCount, (t2 - t1) / 1e9);
		parallel(setup, agentCount, (a) -> {
			Agent agent = agents[a];
			KeyPair keys = newKey();
			String csr = csr(keys, "spiffe://" + trustDomain + "/agent/" + agent.name);
			Response response = expect(send(enrollSockets, "POST", "/v1/agents/enroll",
					"{\"joinToken\":" + quote(agent.joinToken) + ",\"csr\":" + quote(csr) + "}", null), 200,
					"enroll");
			agent.sockets = mutual(keys.getPrivate(), readChain(field(response.body, "certificateChain")));
		});
		long t3 = System.nanoTime();
		System.out.printf("setup: %d agents enrolled in %.1f s (%.1f/s)%n", agentCount, (t3 - t2) / 1e9,
				agentCount / ((t3 - t2) / 1e9));
		List<Workload> workloads = new ArrayList<>();
		parallel(setup, agentCount, (a) -> {
			Agent agent = agents[a];
			String body = expect(send(agent.sockets, "GET", "/v1/agents/self/entries", null, null), 200,
					"list entries").body;
			List<String> ids = all(ID, body);
			List<String> spiffeIds = all(SPIFFE_ID, body);
			synchronized (workloads) {
				for (int i = 0; i < ids.size(); i++) {
					workloads.add(new Workload(agent, ids.get(i), spiffeIds.get(i)));
				}
			}
		});
		long t4 = System.nanoTime();
		setup.shutdown();
		System.out.printf("setup: %d agents listed their entries in %.1f s, %d workloads found%n", agentCount,
				(t4 - t3) / 1e9, workloads.size());
		System.out.printf("setup: %.1f s in all (not counted below)%n", (t4 - t0) / 1e9);
		if (workloads.size() != workloadCount) {
			throw new IllegalStateException("expected " + workloadCount + " workloads, the agents list " + workloads.size());
		}

		// the measured window
		Stats stats = new Stats();
		Sample before = db.sample();
		Proc.Reading cpuBefore = proc.read();
		System.out.printf("before: certificate rows=%d audit rows=%d database=%s%n", before.rows, before.auditRows,
				mib(before.bytes));
		ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(workers);
		pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
		long start = System.nanoTime();
		long end = start + window.toNanos();
		Loop loop = new Loop(pool, stats, fraction, jitter, end);
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long ramp = (long) (ttl.toNanos() * fraction);
		for (Workload workload : workloads) {
			loop.schedule(workload, start + (long) (random.nextDouble() * ramp));
		}
		if (!sync.isZero()) {
			for (Agent agent : agents) {
				loop.sync(agent, start + (long) (random.nextDouble() * sync.toNanos()), sync.toNanos());
			}
		}
		long sampleEvery = TimeUnit.SECONDS.toNanos(Long.parseLong(options.getOrDefault("sample-seconds", "30")));
		long nextSample = start + sampleEvery;
		long lastAttempts = 0;
		long lastAt = start;
		while (System.nanoTime() < end) {
			long sleep = Math.min(end, nextSample) - System.nanoTime();
			if (sleep > 0) {
				Thread.sleep(TimeUnit.NANOSECONDS.toMillis(sleep) + 1);
			}
			long now = System.nanoTime();
			if (now >= nextSample) {
				Sample sample = db.sample();
				long attempts = stats.attempts();
				System.out.printf("t=%4.0fs requests=%d (%.1f/s in the last %.0f s) ok=%d failed=%d lag max=%.1fs "
						+ "certificate rows=%d audit rows=%d database=%s%n", (now - start) / 1e9, attempts,
						(attempts - lastAttempts) / ((now - lastAt) / 1e9), (now - lastAt) / 1e9, stats.ok(),
						stats.failed(), stats.maxLagNanos.get() / 1e9, sample.rows, sample.auditRows, mib(sample.bytes));
				lastAttempts = attempts;
				lastAt = now;
				nextSample += sampleEvery;
			}
		}
		pool.shutdown();
		pool.awaitTermination(60, TimeUnit.SECONDS);
		double seconds = (System.nanoTime() - start) / 1e9;
		Proc.Reading cpuAfter = proc.read();
		Sample after = db.sample();
		stats.report(seconds, workloadCount, ttl, fraction, jitter);
		if (proc.pid > 0) {
			double cpu = cpuAfter.cpuSeconds - cpuBefore.cpuSeconds;
			System.out.printf("server: cpu %.1f s in the window (%.2f cores on average), peak RSS (VmHWM) %s, RSS now %s%n",
					cpu, cpu / seconds, mib(cpuAfter.hwmBytes), mib(cpuAfter.rssBytes));
		}
		System.out.printf("database: size %s -> %s, certificate rows %d -> %d, audit rows %d -> %d%n",
				mib(before.bytes), mib(after.bytes), before.rows, after.rows, before.auditRows, after.auditRows);
		System.out.println("database: largest tables (with indexes and TOAST): " + db.tables());
		System.exit(0);
	}

	/** Schedules each workload's next certificate and each agent's bundle sync. */
	record Loop(ScheduledThreadPoolExecutor pool, Stats stats, double fraction, double jitter, long end) {

		void schedule(Workload workload, long atNanos) {
			if (atNanos >= this.end) {
				return;
			}
			this.pool.schedule(() -> renew(workload, atNanos), atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		void renew(Workload workload, long dueNanos) {
			long begin = System.nanoTime();
			if (begin >= this.end) {
				return;
			}
			this.stats.lag(begin - dueNanos);
			boolean first = workload.notAfter == null;
			// latency is the request's alone, not the key generation or CSR signing before it
			long sent = begin;
			String outcome;
			try {
				if (workload.keys == null) {
					workload.keys = newKey();
				}
				String body = "{\"entryId\":" + quote(workload.entryId) + ",\"csr\":"
						+ quote(csr(workload.keys, workload.spiffeId)) + "}";
				sent = System.nanoTime();
				Response response = send(workload.agent.sockets, "POST", "/v1/agents/self/certificates", body, null);
				if (response.status / 100 == 2) {
					Instant received = Instant.now();
					workload.notAfter = Instant.parse(field(response.body, "notAfter"));
					workload.failures = 0;
					this.stats.ok(first, System.nanoTime() - sent);
					schedule(workload, System.nanoTime() + untilRenewal(received, workload.notAfter, received).toNanos());
					return;
				}
				outcome = "HTTP " + response.status + problemType(response.body);
			}
			catch (Exception ex) {
				outcome = ex.getClass().getSimpleName();
			}
			this.stats.failed(first, outcome, System.nanoTime() - sent);
			workload.failures++;
			Duration left = (workload.notAfter != null) ? Duration.between(Instant.now(), workload.notAfter) : null;
			schedule(workload, System.nanoTime() + backoff(workload.failures, left).toNanos());
		}

		void sync(Agent agent, long atNanos, long every) {
			if (atNanos >= this.end) {
				return;
			}
			this.pool.schedule(() -> {
				if (System.nanoTime() >= this.end) {
					return;
				}
				try {
					Response response = send(agent.sockets, "GET", "/v1/bundle", null, agent.bundleEtag);
					if (response.status == 200 || response.status == 304) {
						if (response.etag != null) {
							agent.bundleEtag = response.etag;
						}
						this.stats.sync(response.status == 304 ? "304" : "200");
					}
					else {
						this.stats.sync("HTTP " + response.status);
					}
				}
				catch (Exception ex) {
					this.stats.sync(ex.getClass().getSimpleName());
				}
				sync(agent, atNanos + every, every);
			}, atNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
		}

		// Renewal.untilRenewal of the agent, verbatim in effect
		Duration untilRenewal(Instant receivedAt, Instant notAfter, Instant now) {
			long lifetimeMillis = Math.max(0, Duration.between(receivedAt, notAfter).toMillis());
			double share = this.fraction + this.jitter * ThreadLocalRandom.current().nextDouble();
			Instant renewAt = receivedAt.plusMillis((long) (lifetimeMillis * share));
			Duration wait = Duration.between(now, renewAt);
			return wait.isNegative() ? Duration.ZERO : wait;
		}

		// Renewal.backoff of the agent: exponential from 1 s, capped at 5 min and at a
		// quarter of the time the certificate has left, half fixed and half random
		static Duration backoff(int failures, Duration left) {
			long cap = Duration.ofMinutes(5).toMillis();
			if (left != null && left.isPositive()) {
				cap = Math.min(cap, Math.max(1000, left.toMillis() / 4));
			}
			long exponential = (failures >= 30) ? cap : Math.min(cap, 1000L << Math.max(0, failures - 1));
			long half = exponential / 2;
			return Duration.ofMillis(half + (long) (ThreadLocalRandom.current().nextDouble() * half));
		}

	}

	static final class Agent {

		final String name;

		volatile String joinToken;

		volatile SSLSocketFactory sockets;

		volatile String bundleEtag;

		Agent(String name) {
			this.name = name;
		}

	}

	/** One workload; touched by one task at a time (the next is scheduled by the last). */
	static final class Workload {

		final Agent agent;

		final String entryId;

		final String spiffeId;

		KeyPair keys;

		Instant notAfter;

		int failures;

		Workload(Agent agent, String entryId, String spiffeId) {
			this.agent = agent;
			this.entryId = entryId;
			this.spiffeId = spiffeId;
		}

	}

	static final class Stats {

		final LongAdder firstOk = new LongAdder();

		final LongAdder renewOk = new LongAdder();

		final Map<String, LongAdder> firstFailed = new ConcurrentHashMap<>();

		final Map<String, LongAdder> renewFailed = new ConcurrentHashMap<>();

		final Map<String, LongAdder> syncs = new ConcurrentHashMap<>();

		final AtomicLong maxLagNanos = new AtomicLong();

		final LongAdder lateOverSecond = new LongAdder();

		private long[] latencies = new long[1 << 16];

		private int count;

		private long[] failedLatencies = new long[1 << 10];

		private int failedCount;

		void lag(long nanos) {
			this.maxLagNanos.accumulateAndGet(nanos, Math::max);
			if (nanos > 1_000_000_000L) {
				this.lateOverSecond.increment();
			}
		}

		synchronized void ok(boolean first, long nanos) {
			(first ? this.firstOk : this.renewOk).increment();
			if (this.count == this.latencies.length) {
				this.latencies = Arrays.copyOf(this.latencies, this.count * 2);
			}
			this.latencies[this.count++] = nanos;
		}

		synchronized void failed(boolean first, String outcome, long nanos) {
			(first ? this.firstFailed : this.renewFailed).computeIfAbsent(outcome, (k) -> new LongAdder()).increment();
			if (this.failedCount == this.failedLatencies.length) {
				this.failedLatencies = Arrays.copyOf(this.failedLatencies, this.failedCount * 2);
			}
			this.failedLatencies[this.failedCount++] = nanos;
		}

		void sync(String outcome) {
			this.syncs.computeIfAbsent(outcome, (k) -> new LongAdder()).increment();
		}

		long ok() {
			return this.firstOk.sum() + this.renewOk.sum();
		}

		long failed() {
			return sum(this.firstFailed) + sum(this.renewFailed);
		}

		long attempts() {
			return ok() + failed();
		}

		static long sum(Map<String, LongAdder> map) {
			return map.values().stream().mapToLong(LongAdder::sum).sum();
		}

		synchronized void report(double seconds, int workloads, Duration ttl, double fraction, double jitter) {
			long renewOk = this.renewOk.sum();
			long renewFailed = sum(this.renewFailed);
			long firstOk = this.firstOk.sum();
			long firstFailed = sum(this.firstFailed);
			long ok = renewOk + firstOk;
			long failed = renewFailed + firstFailed;
			double expected = workloads / (ttl.toMillis() / 1000.0 * (fraction + jitter / 2));
			System.out.printf("window: %.1f s%n", seconds);
			System.out.printf("first certificates: attempted=%d succeeded=%d failed=%d %s%n", firstOk + firstFailed,
					firstOk, firstFailed, new TreeMap<>(this.firstFailed));
			System.out.printf("renewals: attempted=%d succeeded=%d failed=%d %s%n", renewOk + renewFailed, renewOk,
					renewFailed, new TreeMap<>(this.renewFailed));
			System.out.printf("all certificate requests: attempted=%d succeeded=%d failed=%d success=%.3f%% "
					+ "rate=%.1f/s succeeded=%.1f/s (a fleet renewing on time needs %.1f/s)%n", ok + failed, ok, failed,
					(ok + failed == 0) ? 0 : 100.0 * ok / (ok + failed), (ok + failed) / seconds, ok / seconds,
					expected);
			long[] sorted = Arrays.copyOf(this.latencies, this.count);
			Arrays.sort(sorted);
			System.out.printf("latency of successful requests: p50=%.1fms p99=%.1fms max=%.1fms%n",
					percentile(sorted, 0.50), percentile(sorted, 0.99),
					sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6);
			if (this.failedCount > 0) {
				long[] failedSorted = Arrays.copyOf(this.failedLatencies, this.failedCount);
				Arrays.sort(failedSorted);
				System.out.printf("latency of failed requests: p50=%.1fms max=%.1fms%n", percentile(failedSorted, 0.50),
						failedSorted[failedSorted.length - 1] / 1e6);
			}
			System.out.printf("scheduling: max lag %.1f s, %d requests started over 1 s late%n",
					this.maxLagNanos.get() / 1e9, this.lateOverSecond.sum());
			System.out.printf("bundle syncs: %s%n", new TreeMap<>(this.syncs));
		}

	}

	static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
	}

	record Sample(long rows, long auditRows, long bytes) {
	}

	/** Reads the certificate table's row count and the database size with psql. */
	record Db(String database) {

		String tables() {
			return psql("select string_agg(relname || '=' || pg_size_pretty(pg_total_relation_size(oid)), ' ' "
					+ "order by pg_total_relation_size(oid) desc) from (select oid, relname from pg_class "
					+ "where relkind = 'r' and relnamespace = 'public'::regnamespace "
					+ "order by pg_total_relation_size(oid) desc limit 4) t");
		}

		String psql(String query) {
			if (this.database == null) {
				return "?";
			}
			try {
				Process process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", this.database,
						"-Atc", query)
					.redirectErrorStream(true)
					.start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				process.waitFor();
				return out;
			}
			catch (IOException | InterruptedException ex) {
				return "psql failed: " + ex;
			}
		}

		Sample sample() {
			if (this.database == null) {
				return new Sample(-1, -1, -1);
			}
			try {
				Process process = new ProcessBuilder("psql", "-h", "127.0.0.1", "-U", "postgres", "-d", this.database,
						"-Atc", "select (select count(*) from certificate) || ' ' || (select count(*) from audit_event) || ' ' "
								+ "|| pg_database_size(current_database())")
					.redirectErrorStream(true)
					.start();
				String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
				process.waitFor();
				String[] parts = out.split(" ");
				return new Sample(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]));
			}
			catch (IOException | InterruptedException | RuntimeException ex) {
				System.err.println("psql failed: " + ex);
				return new Sample(-1, -1, -1);
			}
		}

	}

	/** The server process's CPU time and memory, from /proc. */
	record Proc(long pid, int clockTicks) {

		record Reading(double cpuSeconds, long hwmBytes, long rssBytes) {
		}

		Reading read() throws IOException {
			if (this.pid <= 0) {
				return new Reading(0, 0, 0);
			}
			String stat = Files.readString(Path.of("/proc/" + this.pid + "/stat"));
			// the command name may hold spaces: fields are counted after its closing parenthesis
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) this.clockTicks;
			long hwm = 0;
			long rss = 0;
			for (String line : Files.readAllLines(Path.of("/proc/" + this.pid + "/status"))) {
				if (line.startsWith("VmHWM:")) {
					hwm = kib(line);
				}
				else if (line.startsWith("VmRSS:")) {
					rss = kib(line);
				}
			}
			return new Reading(cpu, hwm, rss);
		}

		static long kib(String line) {
			return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
		}

	}

	static String mib(long bytes) {
		return (bytes < 0) ? "?" : String.format("%.1f MiB", bytes / 1048576.0);
	}

	record Response(int status, String body, String etag) {
	}

	/**
	 * One request as the agent's ServerClient makes it: HttpsURLConnection with the
	 * caller's socket factory (the JDK reuses an idle connection only for the same
	 * factory, so each agent's connections are its own), 5 s to connect, 30 s to answer.
	 */
	static Response send(SSLSocketFactory sockets, String method, String path, String body, String etag)
			throws IOException {
		HttpsURLConnection connection = (HttpsURLConnection) server.resolve(path).toURL().openConnection(Proxy.NO_PROXY);
		connection.setSSLSocketFactory(sockets);
		connection.setConnectTimeout(5_000);
		connection.setReadTimeout(30_000);
		connection.setInstanceFollowRedirects(false);
		connection.setRequestProperty("Accept", path.equals("/v1/bundle") ? "application/x-pem-file" : "application/json");
		if (etag != null) {
			connection.setRequestProperty("If-None-Match", etag);
		}
		try {
			if (body != null) {
				connection.setRequestMethod(method);
				connection.setRequestProperty("Content-Type", "application/json");
				connection.setDoOutput(true);
				try (OutputStream out = connection.getOutputStream()) {
					out.write(body.getBytes(StandardCharsets.UTF_8));
				}
			}
			int status = connection.getResponseCode();
			String tag = connection.getHeaderField("ETag");
			try (InputStream in = (status < 400) ? connection.getInputStream() : connection.getErrorStream()) {
				byte[] answer = (in != null) ? in.readAllBytes() : new byte[0];
				return new Response(status, new String(answer, StandardCharsets.UTF_8), tag);
			}
		}
		catch (IOException ex) {
			connection.disconnect();
			throw ex;
		}
	}

	static Response expect(Response response, int status, String what) {
		if (response.status != status) {
			throw new IllegalStateException(what + ": HTTP " + response.status + " " + response.body);
		}
		return response;
	}

	static String problemType(String body) {
		Matcher matcher = Pattern.compile("\"type\"\\s*:\\s*\"urn:tether:problem:([^\"]+)\"").matcher(body);
		return matcher.find() ? " " + matcher.group(1) : "";
	}

	interface Step {

		void run(int i) throws Exception;

	}

	static void parallel(ExecutorService executor, int count, Step step) throws Exception {
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			int index = i;
			futures.add(executor.submit(() -> {
				step.run(index);
				return null;
			}));
		}
		// progress of a long setup (100,000 entries), so that a slow one shows early
		long start = System.nanoTime();
		for (int i = 0; i < futures.size(); i++) {
			futures.get(i).get();
			if (count >= 5000 && (i + 1) % (count / 10) == 0) {
				System.out.printf("setup: %d/%d after %.0f s%n", i + 1, count, (System.nanoTime() - start) / 1e9);
			}
		}
	}

	// --- PKCS#10 with the JDK alone: empty subject, the SPIFFE ID as a URI SAN, ECDSA P-256 ---

	static KeyPair newKey() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static final byte[] EXTENSION_REQUEST = { 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01,
			0x09, 0x0E };

	static final byte[] SUBJECT_ALT_NAME = { 0x06, 0x03, 0x55, 0x1D, 0x11 };

	static final byte[] ECDSA_WITH_SHA256 = { 0x06, 0x08, 0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03,
			0x02 };

	static String csr(KeyPair keys, String uri) throws Exception {
		byte[] generalNames = der(0x30, der(0x86, uri.getBytes(StandardCharsets.US_ASCII)));
		byte[] extension = der(0x30, SUBJECT_ALT_NAME, der(0x04, generalNames));
		byte[] attribute = der(0x30, EXTENSION_REQUEST, der(0x31, der(0x30, extension)));
		byte[] info = der(0x30, new byte[] { 0x02, 0x01, 0x00 }, new byte[] { 0x30, 0x00 },
				keys.getPublic().getEncoded(), der(0xA0, attribute));
		Signature signer = Signature.getInstance("SHA256withECDSA");
		signer.initSign(keys.getPrivate());
		signer.update(info);
		byte[] signature = signer.sign();
		byte[] bits = new byte[signature.length + 1];
		System.arraycopy(signature, 0, bits, 1, signature.length);
		byte[] request = der(0x30, info, der(0x30, ECDSA_WITH_SHA256), der(0x03, bits));
		return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(request)
				+ "\n-----END CERTIFICATE REQUEST-----\n";
	}

	static byte[] der(int tag, byte[]... parts) {
		ByteArrayOutputStream content = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			content.writeBytes(part);
		}
		int length = content.size();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(tag);
		if (length < 0x80) {
			out.write(length);
		}
		else if (length < 0x100) {
			out.write(0x81);
			out.write(length);
		}
		else {
			out.write(0x82);
			out.write(length >> 8);
			out.write(length);
		}
		out.writeBytes(content.toByteArray());
		return out.toByteArray();
	}

	// --- TLS: one key manager per identity, one trust manager for the bundle ---

	static SSLSocketFactory mutual(PrivateKey key, X509Certificate[] chain) throws Exception {
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(new X509ExtendedKeyManager[] { new OneKey(key, chain) }, new TrustManager[] { trust }, null);
		return context.getSocketFactory();
	}

	/** A key manager holding one identity: lighter than a PKCS#12 store per agent. */
	static final class OneKey extends X509ExtendedKeyManager {

		private final PrivateKey key;

		private final X509Certificate[] chain;

		OneKey(PrivateKey key, X509Certificate[] chain) {
			this.key = key;
			this.chain = chain;
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return new String[] { "self" };
		}

		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return "self";
		}

		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

		public X509Certificate[] getCertificateChain(String alias) {
			return this.chain;
		}

		public PrivateKey getPrivateKey(String alias) {
			return this.key;
		}

	}

	static X509TrustManager trustManager(Path ca) throws Exception {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		int i = 0;
		for (Certificate root : CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(ca)))) {
			store.setCertificateEntry("ca-" + i++, root);
		}
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(store);
		return (X509TrustManager) factory.getTrustManagers()[0];
	}

	static X509Certificate[] readChain(String pem) throws Exception {
		return CertificateFactory.getInstance("X.509")
			.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
			.stream()
			.map(X509Certificate.class::cast)
			.toArray(X509Certificate[]::new);
	}

	static PrivateKey readKey(Path path) throws Exception {
		String pem = Files.readString(path).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
	}

	// --- small helpers ---

	static String field(String json, String name) {
		Matcher matcher = Pattern.compile("\"" + name + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
		if (!matcher.find()) {
			throw new IllegalStateException("no '" + name + "' in " + json);
		}
		return matcher.group(1).replace("\\n", "\n").replace("\\/", "/").replace("\\\"", "\"");
	}

	static List<String> all(Pattern pattern, String text) {
		List<String> found = new ArrayList<>();
		Matcher matcher = pattern.matcher(text);
		while (matcher.find()) {
			found.add(matcher.group(1));
		}
		return found;
	}

	static Duration duration(String text) {
		if (text.startsWith("P") || text.startsWith("p")) {
			return Duration.parse(text);
		}
		Matcher matcher = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(text);
		Duration total = Duration.ZERO;
		int at = 0;
		while (matcher.find() && matcher.start() == at) {
			long n = Long.parseLong(matcher.group(1));
			total = total.plus(switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(n);
				case "s" -> Duration.ofSeconds(n);
				case "m" -> Duration.ofMinutes(n);
				case "h" -> Duration.ofHours(n);
				default -> Duration.ofDays(n);
			});
			at = matcher.end();
		}
		if (at != text.length() || at == 0) {
			throw new IllegalArgumentException("not a duration: " + text);
		}
		return total;
	}

	static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}

	static Map<String, String> parse(String[] args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			if (!arg.startsWith("--") || !arg.contains("=")) {
				throw new IllegalArgumentException("options are --name=value, got " + arg);
			}
			options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
		}
		return options;
	}

}
