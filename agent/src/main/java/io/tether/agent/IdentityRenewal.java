package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;

/**
 * The agent's own identity as a {@link RenewalLoop.Renewable}: the first successful
 * attempt loads it from the data directory (or enrolls with the join token when there is
 * none), every later one renews it.
 */
final class IdentityRenewal implements RenewalLoop.Renewable {

	private final AgentConfig config;

	private final IdentityStore store;

	private final CertificateAuthority ca;

	private final Clock clock;

	private final Consumer<IdentityStore.Identity> onReady;

	private volatile IdentityStore.Identity identity;

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
	}

	@Override
	public String name() {
		return "agent";
	}

	@Override
	public X509Certificate current() {
		IdentityStore.Identity current = this.identity;
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
			Log.info("identity loaded spiffeId=" + spiffeId(loaded.certificate()) + " notAfter="
					+ loaded.certificate().getNotAfter().toInstant() + " (no re-enrollment)");
			return loaded;
		}
		try {
			return enroll();
		}
		catch (ServerClient.ServerException ex) {
			if (ex.isRefused()) {
				Log.error("enrollment refused: " + ex.getMessage() + "; create a new join token and restart the agent");
				throw new RenewalLoop.Fatal(ex.getMessage());
			}
			throw ex;
		}
	}

	private IdentityStore.Identity enroll() throws ServerClient.ServerException, IOException {
		String token = this.config.resolveJoinToken();
		String[] parts = token.split("\\.");
		if (parts.length != 4) {
			throw new ServerClient.ServerException(
					"the join token is malformed: expected tj1.<id>.<secret>.<root-sha256>", true);
		}
		KeyPair keys = KeyType.EC_P256.generate();
		SpiffeId asked = (this.config.name() != null)
				? new SpiffeId(this.config.trustDomain(), "/agent/" + this.config.name()) : null;
		CertificateAuthority.Enrolled enrolled = this.ca.enroll(token, parts[3], Csr.create(keys, asked, List.of()));
		IdentityStore.Identity fresh = new IdentityStore.Identity(keys.getPrivate(), enrolled.issued().chain(),
				enrolled.issued().bundle(), this.clock.instant());
		this.store.save(fresh);
		X509Certificate certificate = fresh.certificate();
		Log.info("enrolled agent=" + enrolled.agent() + " spiffeId=" + spiffeId(certificate) + " notAfter="
				+ certificate.getNotAfter().toInstant());
		return fresh;
	}

	private RenewalLoop.Held renew() throws ServerClient.ServerException, IOException {
		IdentityStore.Identity held = this.identity;
		X509Certificate current = held.certificate();
		if (!current.getNotAfter().toInstant().isAfter(this.clock.instant())) {
			Log.error("agent certificate expired at " + current.getNotAfter().toInstant()
					+ "; it cannot renew itself any more: re-enroll with a new join token");
		}
		CertificateAuthority.Issued renewed = this.ca
			.renewAgent(Csr.create(new KeyPair(current.getPublicKey(), held.key()), spiffeId(current), List.of()));
		// the roots trusted for the server connection change only through the sync, which
		// checks they still authenticate the server (see BundleSync), not with the
		// renewal's answer
		IdentityStore.Identity fresh = new IdentityStore.Identity(held.key(), renewed.chain(), held.bundle(),
				this.clock.instant());
		this.store.save(fresh);
		this.identity = fresh;
		this.ca.authenticateAs(fresh);
		Log.info("agent certificate renewed serial=" + SerialNumbers.toHex(renewed.certificate().getSerialNumber())
				+ " notAfter=" + renewed.certificate().getNotAfter().toInstant());
		return new RenewalLoop.Held(fresh.certificate(), fresh.receivedAt());
	}

	static SpiffeId spiffeId(X509Certificate certificate) {
		return SpiffeId.of(certificate)
			.orElseThrow(() -> new IllegalStateException("The certificate carries no SPIFFE ID"));
	}

}
