package io.tether.agent;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the agent in step with the server's bundle between renewals, every
 * {@code sync.interval}: one conditional {@code GET /v1/bundle?intermediates=true} over
 * the agent's mutual TLS connection (answered {@code 304} while nothing changed). When
 * the bundle changed:
 * <ul>
 * <li>the agent trusts the served roots for its own connection to the server: a bundle
 * served over a connection its current roots authenticated is as trustworthy as that
 * connection, and a root stays trusted until the server stops serving it. The update is
 * refused when the new roots would not authenticate the very server that served them (the
 * agent would lock itself out);</li>
 * <li>every workload's bundle outputs follow ({@link WorkloadRenewal#follow}).</li>
 * </ul>
 * On every sync, a certificate the agent holds whose issuer the bundle no longer vouches
 * for (an emergency rotation dropped its intermediate, or its root is gone) is renewed at
 * once, once per bundle: a certificate the server issued since would not be renewed in a
 * loop. Runs on the renewal thread, so it needs no locks against the renewals.
 */
final class BundleSync {

	private final CertificateAuthority ca;

	private final Scheduler scheduler;

	private final Clock clock;

	private final Duration interval;

	private final RenewalLoop loop;

	private final IdentityRenewal identity;

	private final List<WorkloadRenewal> workloads;

	private final AgentStatus status;

	private final Map<RenewalLoop.Renewable, Long> renewedFor = new HashMap<>();

	private volatile ServerBundle latest;

	private String etag;

	private long version;

	BundleSync(CertificateAuthority ca, Scheduler scheduler, Clock clock, Duration interval, RenewalLoop loop,
			IdentityRenewal identity, List<WorkloadRenewal> workloads, AgentStatus status) {
		this.ca = ca;
		this.scheduler = scheduler;
		this.clock = clock;
		this.interval = interval;
		this.loop = loop;
		this.identity = identity;
		this.workloads = List.copyOf(workloads);
		this.status = status;
	}

	/** The server's bundle as last synced, or {@code null} before the first sync. */
	ServerBundle latest() {
		return this.latest;
	}

	/** Syncs now, and every interval from then on. */
	void start() {
		this.scheduler.schedule(this::sync, Duration.ZERO);
	}

	private void sync() {
		try {
			String outcome = fetch();
			renewWhatTheBundleNoLongerVouchesFor();
			this.status.recordSync(this.clock.instant(), outcome, null, roots());
		}
		catch (ServerClient.ServerException | IOException | RuntimeException ex) {
			String reason = (ex instanceof ServerClient.ServerException) ? ex.getMessage() : ex.toString();
			Log.warn("sync failed reason=\"" + reason + "\"; next in " + this.interval);
			// a bundle already known still says which certificates must go
			renewWhatTheBundleNoLongerVouchesFor();
			this.status.recordSync(this.clock.instant(), "failed", reason, roots());
		}
		finally {
			this.scheduler.schedule(this::sync, this.interval);
		}
	}

	private String fetch() throws ServerClient.ServerException, IOException {
		CertificateAuthority.Bundle answer = this.ca.bundle(this.etag);
		if (answer == null) {
			return "unchanged";
		}
		ServerBundle bundle = ServerBundle.of(answer.certificates());
		if (bundle.roots().isEmpty()) {
			throw new IOException("the server's bundle lists no root; kept the one held");
		}
		boolean changed = !bundle.sameAs(this.latest);
		if (changed) {
			this.version++;
			this.latest = bundle;
			Log.info("bundle changed roots=" + bundle.roots().size() + " intermediates="
					+ bundle.intermediates().size());
		}
		String outcome = changed ? "changed" : "unchanged";
		if (!trustRoots(bundle.roots(), answer.servedBy())) {
			outcome = "changed, roots for this agent's connection kept";
		}
		boolean written = true;
		for (WorkloadRenewal workload : this.workloads) {
			try {
				workload.follow(bundle);
			}
			catch (IOException | RuntimeException ex) {
				written = false;
				Log.warn("bundle outputs not written workload=" + workload.name() + " reason=\"" + ex + "\"");
			}
		}
		// the tag only once every output is written: after a failure the next sync gets
		// the whole bundle again and tries once more
		this.etag = written ? answer.etag() : null;
		return written ? outcome : outcome + ", some workload outputs not written";
	}

	/**
	 * @return whether the agent trusts these roots now
	 */
	private boolean trustRoots(List<X509Certificate> roots, List<X509Certificate> servedBy) throws IOException {
		List<X509Certificate> trusted = this.identity.trusted();
		if (trusted == null || ServerBundle.of(trusted).sameAs(new ServerBundle(roots, List.of()))) {
			return true;
		}
		if (!new ServerBundle(roots, List.of()).anchors(servedBy)) {
			Log.error("the server's bundle does not authenticate the server that served it (no root it lists"
					+ " anchors the server's TLS chain): the agent keeps trusting its " + trusted.size()
					+ " root(s) for its own connection");
			return false;
		}
		this.identity.trust(roots);
		Log.info("roots trusted for the server connection: " + roots.size() + " (were " + trusted.size() + ")");
		return true;
	}

	private void renewWhatTheBundleNoLongerVouchesFor() {
		ServerBundle bundle = this.latest;
		if (bundle == null) {
			return;
		}
		renewIfNotVouchedFor(this.identity, bundle);
		for (WorkloadRenewal workload : this.workloads) {
			renewIfNotVouchedFor(workload, bundle);
		}
	}

	private void renewIfNotVouchedFor(RenewalLoop.Renewable renewable, ServerBundle bundle) {
		X509Certificate current = renewable.current();
		if (current == null || bundle.vouchesFor(current)) {
			return;
		}
		Long renewed = this.renewedFor.get(renewable);
		if (renewed != null && renewed == this.version) {
			return;
		}
		this.renewedFor.put(renewable, this.version);
		Log.warn("issuer no longer in the server's bundle item=" + renewable.name() + " issuer=\""
				+ current.getIssuerX500Principal().getName() + "\"; renewing now");
		this.loop.renewNow(renewable);
	}

	/** The roots the server serves, as last synced, else those the agent trusts. */
	private List<X509Certificate> roots() {
		ServerBundle bundle = this.latest;
		List<X509Certificate> trusted = this.identity.trusted();
		return (bundle != null) ? bundle.roots() : (trusted != null) ? trusted : List.of();
	}

}
