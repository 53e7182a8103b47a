package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import io.tether.pki.Csr;
import io.tether.pki.SerialNumbers;

/**
 * One workload as a {@link RenewalLoop.Renewable}. The first attempt picks up where a
 * previous run left off; every attempt after that obtains a certificate (or takes the one
 * obtained earlier and not yet delivered, while it is fresh), writes the outputs, and
 * only then records it in the workload state. The hook is handed to {@link HookRunner},
 * never run here. Between renewals, {@link #follow} keeps the bundle outputs in step with
 * the server's bundle.
 */
final class WorkloadRenewal implements RenewalLoop.Renewable {

	private final AgentConfig.Workload workload;

	private final WorkloadState state;

	private final CertificateAuthority ca;

	private final HookRunner hooks;

	private final Clock clock;

	private final double renewalFraction;

	private final Supplier<ServerBundle> latest;

	private boolean resumed;

	/**
	 * A certificate obtained but not yet written (the outputs could not be written): the
	 * next attempt delivers it rather than asking for yet another one.
	 */
	private Obtained undelivered;

	private volatile X509Certificate delivered;

	private record Obtained(CertificateAuthority.Issued issued, Instant receivedAt) {
	}

	/**
	 * @param latest the server's bundle as last synced, or {@code null} before the first
	 * sync: where the intermediates of the bundle outputs come from (an issuance answer
	 * carries the roots only)
	 */
	WorkloadRenewal(AgentConfig.Workload workload, WorkloadState state, CertificateAuthority ca, HookRunner hooks,
			Clock clock, double renewalFraction, Supplier<ServerBundle> latest) {
		this.workload = workload;
		this.state = state;
		this.ca = ca;
		this.hooks = hooks;
		this.clock = clock;
		this.renewalFraction = renewalFraction;
		this.latest = latest;
	}

	@Override
	public String name() {
		return this.workload.spiffeId().toString();
	}

	@Override
	public X509Certificate current() {
		return this.delivered;
	}

	/**
	 * Brings the bundle outputs in line with the server's bundle, when this workload has
	 * a certificate delivered: rewrites them (atomically, as a renewal would) and runs
	 * the hook only when what they hold changes. Runs on the renewal thread, like the
	 * attempts.
	 * @throws IOException if the outputs or the state cannot be written
	 */
	void follow(ServerBundle bundle) throws IOException {
		if (this.delivered == null || this.undelivered != null) {
			// nothing delivered yet, or a delivery pending: the next attempt writes the
			// bundle with the rest
			return;
		}
		List<X509Certificate> wanted = bundle.all();
		if (WorkloadWriter.bundleMatches(this.workload, wanted)) {
			if (!ServerBundle.of(this.state.bundle()).sameAs(bundle)) {
				this.state.saveBundle(wanted);
			}
			return;
		}
		WorkloadWriter.writeBundle(this.workload, wanted);
		this.state.saveBundle(wanted);
		Log.info("bundle rewritten workload=" + name() + " roots=" + bundle.roots().size() + " intermediates="
				+ bundle.intermediates().size());
		this.hooks.trigger(this.workload);
	}

	@Override
	public RenewalLoop.Held attempt() throws Exception {
		if (!this.resumed) {
			this.resumed = true;
			RenewalLoop.Held held = resume();
			if (held != null) {
				return held;
			}
		}
		return renew();
	}

	/**
	 * Picks up where a previous run left off. The state records what was last delivered;
	 * outputs that differ from it (deleted, edited, or left behind by a run that could
	 * not write them) are rewritten from it, and the hook told, without asking the
	 * server.
	 * @return what the workload holds, or {@code null} when it needs a new certificate
	 * now (none yet, expired, or a state that cannot be read)
	 */
	private RenewalLoop.Held resume() throws DeliveryException {
		List<X509Certificate> chain;
		List<X509Certificate> bundle;
		KeyPair keys;
		Instant receivedAt;
		try {
			chain = this.state.chain();
			if (chain.isEmpty() || !chain.get(0).getNotAfter().toInstant().isAfter(this.clock.instant())) {
				return null;
			}
			bundle = this.state.bundle();
			keys = this.state.loadOrCreateKeys(this.workload);
			receivedAt = this.state.receivedAt(chain.get(0));
		}
		catch (IOException | RuntimeException ex) {
			Log.warn("stored state unreadable workload=" + name() + " reason=\"" + ex + "\"; renewing");
			return null;
		}
		this.delivered = chain.get(0);
		if (!WorkloadWriter.matches(this.workload, keys.getPrivate(), chain, bundle)) {
			try {
				WorkloadWriter.write(this.workload, keys.getPrivate(), chain, bundle);
			}
			catch (IOException | RuntimeException ex) {
				// the retry delivers this certificate, and obtains a new one only once
				// this one is due for renewal
				this.undelivered = new Obtained(new CertificateAuthority.Issued(chain, bundle), receivedAt);
				throw new DeliveryException(ex);
			}
			Log.info("outputs rewritten workload=" + name() + " (they differed from the last certificate delivered)");
			this.hooks.trigger(this.workload);
		}
		return new RenewalLoop.Held(chain.get(0), receivedAt);
	}

	private RenewalLoop.Held renew() throws ServerClient.ServerException, IOException {
		Obtained obtained = this.undelivered;
		this.undelivered = null;
		KeyPair keys = this.state.loadOrCreateKeys(this.workload);
		if (obtained == null || !isFresh(obtained)) {
			obtained = new Obtained(obtain(keys), this.clock.instant());
		}
		CertificateAuthority.Issued issued = obtained.issued();
		List<X509Certificate> bundle = bundle(issued);
		try {
			WorkloadWriter.write(this.workload, keys.getPrivate(), issued.chain(), bundle);
		}
		catch (IOException | RuntimeException ex) {
			this.undelivered = obtained;
			throw new DeliveryException(ex);
		}
		try {
			this.state.save(issued.chain(), bundle, obtained.receivedAt());
		}
		catch (IOException | RuntimeException ex) {
			// the outputs hold it already; a restart rewrites them from the older state,
			// so keep trying to record it
			this.undelivered = obtained;
			throw ex;
		}
		X509Certificate leaf = issued.certificate();
		this.delivered = leaf;
		Log.info("certificate renewed workload=" + name() + " serial=" + SerialNumbers.toHex(leaf.getSerialNumber())
				+ " notAfter=" + leaf.getNotAfter().toInstant());
		this.hooks.trigger(this.workload);
		return new RenewalLoop.Held(leaf, obtained.receivedAt());
	}

	/**
	 * The roots of the issuance answer, then the valid intermediates as last synced (or,
	 * before the first sync, the one in the chain).
	 */
	private List<X509Certificate> bundle(CertificateAuthority.Issued issued) {
		ServerBundle synced = this.latest.get();
		List<X509Certificate> intermediates = (synced != null) ? synced.intermediates()
				: ServerBundle.of(issued.chain().subList(1, issued.chain().size())).intermediates();
		return new ServerBundle(ServerBundle.of(issued.bundle()).roots(), intermediates).all();
	}

	private CertificateAuthority.Issued obtain(KeyPair keys) throws ServerClient.ServerException {
		String spiffeId = name();
		CertificateAuthority.Entry entry = this.ca.entries()
			.stream()
			.filter((candidate) -> spiffeId.equals(candidate.spiffeId()))
			.findFirst()
			.orElseThrow(() -> new ServerClient.ServerException("no registration entry for " + spiffeId
					+ " is assigned to this agent: create one with 'tether entry create'", true));
		return this.ca.issue(entry.id(), Csr.create(keys, this.workload.spiffeId(), entry.dnsNames()));
	}

	/**
	 * Whether a certificate obtained earlier is still worth delivering rather than
	 * replacing: it has not reached its renewal point, measured from its receipt as
	 * {@link Renewal#untilRenewal} does (its {@code notBefore} is backdated for skew).
	 */
	private boolean isFresh(Obtained obtained) {
		Instant notAfter = obtained.issued().certificate().getNotAfter().toInstant();
		long lifetime = Duration.between(obtained.receivedAt(), notAfter).toMillis();
		return this.clock.instant()
			.isBefore(obtained.receivedAt().plusMillis((long) (lifetime * this.renewalFraction)));
	}

}
