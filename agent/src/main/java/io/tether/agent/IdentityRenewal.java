package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import io.tether.pki.Csr;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;

/**
 * The agent's own identity as a {@link RenewalLoop.Renewable}: the first successful
 * attempt loads it from the data directory (or enrolls with the join token when there is
 * none), every later one renews it; one that expired or is shut out comes back through
 * {@link Comeback}.
 */
final class IdentityRenewal implements RenewalLoop.Renewable {

	private final AgentConfig config;

	private final IdentityStore store;

	private final CertificateAuthority ca;

	private final Clock clock;

	private final Consumer<IdentityStore.Identity> onReady;

	private final Enrollment enrollment;

	private final Comeback comeback;

	private volatile IdentityStore.Identity identity;

	/** The identity found on disk, while it is not ready yet (it is coming back). */
	private volatile IdentityStore.Identity loaded;

	/**
	 * @param onReady called once, with the identity loaded or enrolled, before anything
	 * is asked of the server with it
	 */
	IdentityRenewal(AgentConfig config, IdentityStore store, CertificateAuthority ca, Clock clock,
			Consumer<IdentityStore.Identity> onReady) {
		this.config = config;
		this.store = store;
		this.ca = ca;
		this.clock = clock;
		this.onReady = onReady;
		this.enrollment = new Enrollment(config, store, ca, clock);
		this.comeback = new Comeback(config, store, ca, this.enrollment, clock);
	}

	@Override
	public String name() {
		return "agent";
	}

	@Override
	public X509Certificate current() {
		IdentityStore.Identity current = (this.identity != null) ? this.identity : this.loaded;
		return (current != null) ? current.certificate() : null;
	}

	/**
	 * The roots the agent trusts for its connection to the server now, or {@code null}
	 * before its identity is in place.
	 */
	List<X509Certificate> trusted() {
		IdentityStore.Identity current = this.identity;
		return (current != null) ? current.bundle() : null;
	}

	/**
	 * Trusts exactly these roots for the connection to the server from now on, stored and
	 * in use at once. {@link BundleSync} decides when that is safe.
	 * @throws IOException if they cannot be stored (then nothing changes)
	 */
	void trust(List<X509Certificate> roots) throws IOException {
		IdentityStore.Identity held = this.identity;
		if (held == null) {
			return;
		}
		this.store.saveBundle(roots);
		IdentityStore.Identity updated = new IdentityStore.Identity(held.key(), held.chain(), List.copyOf(roots),
				held.receivedAt());
		this.identity = updated;
		this.ca.authenticateAs(updated);
	}

	@Override
	public String condition() {
		return this.comeback.condition();
	}

	@Override
	public RenewalLoop.Held attempt() throws Exception {
		if (this.identity == null) {
			IdentityStore.Identity ready = bootstrap();
			this.identity = ready;
			this.ca.authenticateAs(ready);
			this.onReady.accept(ready);
			return new RenewalLoop.Held(ready.certificate(), ready.receivedAt());
		}
		return renew();
	}

	private IdentityStore.Identity bootstrap() throws Exception {
		if (this.store.exists()) {
			IdentityStore.Identity loaded = this.store.load();
			this.loaded = loaded;
			Log.info("identity loaded spiffeId=" + spiffeId(loaded.certificate()) + " notAfter="
					+ loaded.certificate().getNotAfter().toInstant() + " (no re-enrollment)");
			return this.comeback.due(loaded) ? this.comeback.attempt(loaded) : loaded;
		}
		try {
			return this.enrollment.enroll(this.config.resolveJoinToken());
		}
		catch (ServerClient.ServerException ex) {
			if (ex.isRefused()) {
				Log.error("enrollment refused: " + ex.getMessage() + "; create a new join token and restart the agent");
				throw new RenewalLoop.Fatal(ex.getMessage());
			}
			throw ex;
		}
	}

	private RenewalLoop.Held renew() throws Exception {
		IdentityStore.Identity held = this.identity;
		if (this.comeback.due(held)) {
			return adopt(this.comeback.attempt(held));
		}
		X509Certificate current = held.certificate();
		CertificateAuthority.Issued renewed;
		try {
			renewed = this.ca
				.renewAgent(Csr.create(new KeyPair(current.getPublicKey(), held.key()), spiffeId(current), List.of()));
		}
		catch (ServerClient.ServerException ex) {
			if (!Comeback.shutOut(ex)) {
				throw ex;
			}
			Log.error("agent certificate renewal refused: " + ex.getMessage());
			return adopt(this.comeback.attempt(held));
		}
		// the roots trusted for the server connection change only through the sync, which
		// checks they still authenticate the server (see BundleSync), not with the
		// renewal's answer
		IdentityStore.Identity fresh = new IdentityStore.Identity(held.key(), renewed.chain(), held.bundle(),
				this.clock.instant());
		this.store.save(fresh);
		Log.info("agent certificate renewed serial=" + SerialNumbers.toHex(renewed.certificate().getSerialNumber())
				+ " notAfter=" + renewed.certificate().getNotAfter().toInstant());
		return adopt(fresh);
	}

	private RenewalLoop.Held adopt(IdentityStore.Identity fresh) {
		this.identity = fresh;
		this.ca.authenticateAs(fresh);
		return new RenewalLoop.Held(fresh.certificate(), fresh.receivedAt());
	}

	static SpiffeId spiffeId(X509Certificate certificate) {
		return SpiffeId.of(certificate)
			.orElseThrow(() -> new IllegalStateException("The certificate carries no SPIFFE ID"));
	}

}
