package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;

/**
 * The agent daemon: enrolls once, then keeps its own certificate and every configured
 * workload's certificate renewed, on one scheduler thread. Each renewable has its own
 * timer: renewal at the configured fraction of the lifetime plus jitter, and after a
 * failure an exponential backoff; the current files stay in place until new ones are
 * written.
 */
final class Agent implements AutoCloseable {

	/**
	 * Below this share of its lifetime left, a certificate that fails to renew is
	 * reported loudly.
	 */
	static final double EXPIRY_WARNING_SHARE = 0.2;

	private final AgentConfig config;

	private final IdentityStore identities;

	private final AgentStatus status;

	private final Clock clock;

	private final RandomGenerator random = RandomGenerator.getDefault();

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
		Thread thread = new Thread(runnable, "tether-agent-renewal");
		thread.setDaemon(false);
		return thread;
	});

	private volatile IdentityStore.Identity identity;

	private volatile ServerClient client;

	private int identityFailures;

	/**
	 * Certificates obtained but not yet written (the outputs could not be written): the
	 * next attempt delivers them rather than asking for yet another certificate. Touched
	 * on the scheduler thread only.
	 */
	private final Map<SpiffeId, Obtained> undelivered = new HashMap<>();

	private record Obtained(List<X509Certificate> chain, List<X509Certificate> bundle, Instant receivedAt) {
	}

	private final Runnable onFatal;

	/**
	 * Creates the agent.
	 * @param onFatal called when the agent cannot go on by itself (its join token was
	 * refused): retrying would not help, an operator must act
	 */
	Agent(AgentConfig config, AgentStatus status, Clock clock, Runnable onFatal) {
		this.onFatal = onFatal;
		this.config = config;
		this.identities = new IdentityStore(config.dataDir());
		this.status = status;
		this.clock = clock;
	}

	/**
	 * Enrolls if needed, then schedules every renewal. Enrollment failures are retried
	 * with backoff like everything else, except a refused token, which no retry can fix.
	 */
	void start() {
		this.scheduler.execute(this::bootstrap);
	}

	private void bootstrap() {
		try {
			if (this.identities.exists()) {
				useIdentity(this.identities.load());
				Log.info("identity loaded spiffeId=" + spiffeId(this.identity.certificate()) + " notAfter="
						+ this.identity.certificate().getNotAfter().toInstant() + " (no re-enrollment)");
			}
			else {
				enroll();
			}
			this.identityFailures = 0;
		}
		catch (ServerClient.ServerException ex) {
			if (ex.isRefused()) {
				Log.error("enrollment refused: " + ex.getMessage() + "; create a new join token and restart the agent");
				this.status.failed("agent", ex.getMessage());
				this.onFatal.run();
				return;
			}
			retryLater(this::bootstrap, ++this.identityFailures, "enrollment", ex.getMessage(), null);
			return;
		}
		catch (IOException | RuntimeException ex) {
			retryLater(this::bootstrap, ++this.identityFailures, "enrollment", ex.toString(), null);
			return;
		}
		scheduleIdentityRenewal();
		for (AgentConfig.Workload workload : this.config.workloads()) {
			WorkloadState state = new WorkloadState(this.config.dataDir(), workload);
			this.scheduler.execute(() -> resumeWorkload(workload, state));
		}
	}

	private void enroll() throws ServerClient.ServerException, IOException {
		String token = this.config.resolveJoinToken();
		String[] parts = token.split("\\.");
		if (parts.length != 4) {
			throw new ServerClient.ServerException(
					"the join token is malformed: expected tj1.<id>.<secret>.<root-sha256>", true);
		}
		KeyPair keys = KeyType.EC_P256.generate();
		SpiffeId asked = (this.config.name() != null)
				? new SpiffeId(this.config.trustDomain(), "/agent/" + this.config.name()) : null;
		ServerClient pinned = ServerClient.pinned(this.config.servers(), parts[3]);
		Map<String, Object> enrolled = pinned.post("/v1/agents/enroll",
				Map.of("joinToken", token, "csr", Csr.create(keys, asked, List.of()).toPem()));
		IdentityStore.Identity fresh = new IdentityStore.Identity(keys.getPrivate(),
				Pem.readCertificates(Json.string(enrolled, "certificateChain")),
				Pem.readCertificates(Json.string(enrolled, "bundle")), this.clock.instant());
		this.identities.save(fresh);
		useIdentity(fresh);
		Log.info("enrolled agent=" + Json.string(enrolled, "agent") + " spiffeId=" + Json.string(enrolled, "spiffeId")
				+ " notAfter=" + Json.string(enrolled, "notAfter"));
	}

	private void useIdentity(IdentityStore.Identity fresh) {
		this.identity = fresh;
		this.client = ServerClient.mutual(this.config.servers(), fresh.key(), fresh.chain(), fresh.bundle());
		this.status.issued("agent", spiffeId(fresh.certificate()), fresh.certificate());
	}

	private void scheduleIdentityRenewal() {
		Duration wait = untilRenewal(this.identity.receivedAt(), this.identity.certificate());
		this.status.scheduled("agent", this.clock.instant().plus(wait));
		this.scheduler.schedule(this::renewIdentity, wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void renewIdentity() {
		X509Certificate current = this.identity.certificate();
		if (!current.getNotAfter().toInstant().isAfter(this.clock.instant())) {
			Log.error("agent certificate expired at " + current.getNotAfter().toInstant()
					+ "; it cannot renew itself any more: re-enroll with a new join token");
		}
		try {
			Map<String, Object> renewed = this.client.post("/v1/agents/self/renew",
					Map.of("csr", Csr
						.create(new KeyPair(current.getPublicKey(), this.identity.key()), spiffeId(current), List.of())
						.toPem()));
			IdentityStore.Identity fresh = new IdentityStore.Identity(this.identity.key(),
					Pem.readCertificates(Json.string(renewed, "certificateChain")),
					Pem.readCertificates(Json.string(renewed, "bundle")), this.clock.instant());
			this.identities.save(fresh);
			useIdentity(fresh);
			this.identityFailures = 0;
			Log.info("agent certificate renewed serial=" + Json.string(renewed, "serialNumber") + " notAfter="
					+ Json.string(renewed, "notAfter"));
			scheduleIdentityRenewal();
		}
		catch (ServerClient.ServerException | IOException | RuntimeException ex) {
			retryLater(this::renewIdentity, ++this.identityFailures, "agent", ex.getMessage(), current);
		}
	}

	/**
	 * Picks up where a previous run left off. The state records what was last delivered;
	 * outputs that differ from it (deleted, edited, or left behind by a run that could
	 * not write them) are rewritten from it, and the hook told, before anything else.
	 */
	private void resumeWorkload(AgentConfig.Workload workload, WorkloadState state) {
		List<X509Certificate> chain;
		List<X509Certificate> bundle;
		KeyPair keys;
		Instant receivedAt;
		try {
			chain = state.chain();
			if (chain.isEmpty() || !chain.get(0).getNotAfter().toInstant().isAfter(this.clock.instant())) {
				renewWorkload(workload, state, 0);
				return;
			}
			bundle = state.bundle();
			keys = state.loadOrCreateKeys(workload);
			receivedAt = state.receivedAt(chain.get(0));
		}
		catch (IOException | RuntimeException ex) {
			Log.warn("stored state unreadable workload=" + workload.spiffeId() + " reason=\"" + ex + "\"; renewing");
			renewWorkload(workload, state, 0);
			return;
		}
		String name = workload.spiffeId().toString();
		this.status.issued(name, workload.spiffeId(), chain.get(0));
		if (!WorkloadWriter.matches(workload, keys.getPrivate(), chain, bundle)) {
			try {
				WorkloadWriter.write(workload, keys.getPrivate(), chain, bundle);
				Log.info("outputs rewritten workload=" + name + " (they differed from the last certificate delivered)");
				Hooks.run(workload.hook(), name);
			}
			catch (IOException | RuntimeException ex) {
				// the retry delivers this certificate, and obtains a new one only once
				// this one is due for renewal
				this.undelivered.put(workload.spiffeId(), new Obtained(chain, bundle, receivedAt));
				Duration wait = Renewal.backoff(1, this.random);
				warnFailure(name, 1, "cannot write the outputs: " + ex, chain.get(0), wait);
				scheduleWorkload(workload, state, wait, 1);
				return;
			}
		}
		scheduleWorkload(workload, state, untilRenewal(receivedAt, chain.get(0)), 0);
	}

	private void scheduleWorkload(AgentConfig.Workload workload, WorkloadState state, Duration wait, int failures) {
		this.status.scheduled(workload.spiffeId().toString(), this.clock.instant().plus(wait));
		this.scheduler.schedule(() -> renewWorkload(workload, state, failures), wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Obtains a certificate (or takes the one obtained earlier and not yet written, while
	 * it is fresh), writes the outputs, and only then records it as delivered: a state
	 * saved ahead of its outputs would make a restarted agent believe the workload holds
	 * a certificate it never got.
	 */
	private void renewWorkload(AgentConfig.Workload workload, WorkloadState state, int failures) {
		String name = workload.spiffeId().toString();
		X509Certificate current = null;
		Obtained obtained = this.undelivered.remove(workload.spiffeId());
		try {
			List<X509Certificate> chain = state.chain();
			current = chain.isEmpty() ? null : chain.get(0);
			KeyPair keys = state.loadOrCreateKeys(workload);
			if (obtained == null || !isFresh(obtained)) {
				obtained = obtain(workload, keys);
			}
			X509Certificate leaf = obtained.chain().get(0);
			WorkloadWriter.write(workload, keys.getPrivate(), obtained.chain(), obtained.bundle());
			state.save(obtained.chain(), obtained.bundle(), obtained.receivedAt());
			Log.info("certificate renewed workload=" + name + " serial=" + SerialNumbers.toHex(leaf.getSerialNumber())
					+ " notAfter=" + leaf.getNotAfter().toInstant());
			this.status.issued(name, workload.spiffeId(), leaf);
			Hooks.run(workload.hook(), name);
			scheduleWorkload(workload, state, untilRenewal(obtained.receivedAt(), leaf), 0);
		}
		catch (ServerClient.ServerException | IOException | RuntimeException ex) {
			if (obtained != null) {
				this.undelivered.put(workload.spiffeId(), obtained);
			}
			int failed = failures + 1;
			Duration wait = Renewal.backoff(failed, this.random);
			warnFailure(name, failed, ex.getMessage(), current, wait);
			scheduleWorkload(workload, state, wait, failed);
		}
	}

	private Obtained obtain(AgentConfig.Workload workload, KeyPair keys) throws ServerClient.ServerException {
		Map<?, ?> entry = findEntry(workload.spiffeId());
		List<String> dnsNames = Json.array(entry, "dnsNames").stream().map(String::valueOf).toList();
		Csr csr = Csr.create(keys, workload.spiffeId(), dnsNames);
		Map<String, Object> issued = this.client.post("/v1/agents/self/certificates",
				Map.of("entryId", Json.string(entry, "id"), "csr", csr.toPem()));
		return new Obtained(Pem.readCertificates(Json.string(issued, "certificateChain")),
				Pem.readCertificates(Json.string(issued, "bundle")), this.clock.instant());
	}

	/**
	 * Whether a certificate obtained earlier is still worth delivering rather than
	 * replacing: it has not reached its renewal point, measured from its receipt as
	 * {@link Renewal#untilRenewal} does (its {@code notBefore} is backdated for skew).
	 */
	private boolean isFresh(Obtained obtained) {
		Instant notAfter = obtained.chain().get(0).getNotAfter().toInstant();
		long lifetime = Duration.between(obtained.receivedAt(), notAfter).toMillis();
		return this.clock.instant()
			.isBefore(obtained.receivedAt().plusMillis((long) (lifetime * this.config.renewalFraction())));
	}

	private Map<?, ?> findEntry(SpiffeId spiffeId) throws ServerClient.ServerException {
		List<?> entries = Json.array(this.client.get("/v1/agents/self/entries"), "entries");
		return entries.stream()
			.filter(Map.class::isInstance)
			.map((entry) -> (Map<?, ?>) entry)
			.filter((entry) -> spiffeId.toString().equals(entry.get("spiffeId")))
			.findFirst()
			.orElseThrow(() -> new ServerClient.ServerException("no registration entry for " + spiffeId
					+ " is assigned to this agent: create one with 'tether entry create'", true));
	}

	private void retryLater(Runnable task, int failures, String name, String reason, X509Certificate current) {
		Duration wait = Renewal.backoff(failures, this.random);
		warnFailure(name, failures, reason, current, wait);
		this.status.scheduled(name, this.clock.instant().plus(wait));
		this.scheduler.schedule(task, wait.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void warnFailure(String name, int failures, String reason, X509Certificate current, Duration wait) {
		this.status.failed(name, reason);
		Log.warn("renewal failed item=" + name + " attempt=" + failures + " retryIn=" + wait + " reason=\"" + reason
				+ "\"");
		if (current != null) {
			Instant notAfter = current.getNotAfter().toInstant();
			Duration left = Duration.between(this.clock.instant(), notAfter);
			Duration lifetime = Duration.between(current.getNotBefore().toInstant(), notAfter);
			if (left.toMillis() < lifetime.toMillis() * EXPIRY_WARNING_SHARE) {
				Log.error("CERTIFICATE ABOUT TO EXPIRE item=" + name + " notAfter=" + notAfter + " left=" + left
						+ " and renewal keeps failing: check the server and this agent");
			}
		}
	}

	private Duration untilRenewal(Instant receivedAt, X509Certificate certificate) {
		return Renewal.untilRenewal(receivedAt, certificate.getNotAfter().toInstant(), this.clock.instant(),
				this.config.renewalFraction(), this.config.renewalJitter(), this.random);
	}

	static SpiffeId spiffeId(X509Certificate certificate) {
		return SpiffeId.of(certificate)
			.orElseThrow(() -> new IllegalStateException("The certificate carries no SPIFFE ID"));
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
