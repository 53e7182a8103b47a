package io.tether.agent;

import java.io.IOException;
import java.security.KeyPair;
import java.time.Clock;
import java.util.List;
import java.util.Set;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;

/**
 * How an agent comes back when its own certificate can no longer renew itself (it expired
 * while the agent was away, or the server shuts it out): first it re-attests with the key
 * it holds; if the server refuses that (the grace period passed, the certificate was
 * revoked, the agent was evicted), it waits for a join token it has not used yet in its
 * configuration, on the renewal loop's backoff, and enrolls with it by itself. Until then
 * the identity it holds stays on disk untouched.
 * <p>
 * One instance per agent; its attempts run on the renewal loop's single thread.
 */
final class Comeback {

	/** What the agent is waiting for; {@link #condition} says it in words. */
	enum State {

		/** Nothing: the identity renews as usual. */
		NONE,

		/** Asking the server for a new certificate for the key it holds. */
		REATTESTING,

		/** Re-attestation refused: a new join token in the configuration. */
		WAITING_FOR_TOKEN,

		/** Evicted: a new join token too, for a new name (evicted names stay out). */
		EVICTED

	}

	/**
	 * Refusals of a renewal that mean this certificate can no longer renew itself:
	 * re-attestation then says why, and whether a token is needed.
	 */
	private static final Set<ProblemType> SHUT_OUT = Set.of(ProblemType.NOT_AGENT, ProblemType.CERTIFICATE_REVOKED,
			ProblemType.CLIENT_CERTIFICATE_REQUIRED);

	private final AgentConfig config;

	private final IdentityStore store;

	private final CertificateAuthority ca;

	private final Enrollment enrollment;

	private final Clock clock;

	private volatile State state = State.NONE;

	Comeback(AgentConfig config, IdentityStore store, CertificateAuthority ca, Enrollment enrollment, Clock clock) {
		this.config = config;
		this.store = store;
		this.ca = ca;
		this.enrollment = enrollment;
		this.clock = clock;
	}

	State state() {
		return this.state;
	}

	/**
	 * What the agent waits for, for people; {@code null} when nothing.
	 */
	String condition() {
		return switch (this.state) {
			case NONE -> null;
			case REATTESTING -> "re-attesting";
			case WAITING_FOR_TOKEN -> "waiting for a new join token in " + tokenSource();
			case EVICTED -> "evicted: waiting for a new join token (for a new name) in " + tokenSource();
		};
	}

	/**
	 * Whether the held identity must come back rather than renew: its certificate has
	 * expired, or coming back is under way.
	 */
	boolean due(IdentityStore.Identity held) {
		return this.state != State.NONE || !held.certificate().getNotAfter().toInstant().isAfter(this.clock.instant());
	}

	/**
	 * Whether a renewal's refusal means the certificate can no longer renew itself.
	 */
	static boolean shutOut(ServerClient.ServerException refusal) {
		return refusal.isRefused() && SHUT_OUT.contains(refusal.problem());
	}

	/**
	 * One attempt to come back.
	 * @return the identity to use from now on, saved
	 * @throws Waiting while no join token is there to use
	 * @throws Exception when this attempt failed and a later one may succeed
	 */
	IdentityStore.Identity attempt(IdentityStore.Identity held) throws Exception {
		if (this.state == State.NONE || this.state == State.REATTESTING) {
			this.state = State.REATTESTING;
			try {
				IdentityStore.Identity back = reattest(held);
				this.state = State.NONE;
				return back;
			}
			catch (ServerClient.ServerException ex) {
				if (!ex.isRefused()) {
					throw ex;
				}
				this.state = (ex.problem() == ProblemType.AGENT_EVICTED) ? State.EVICTED : State.WAITING_FOR_TOKEN;
				Log.error("re-attestation refused: " + ex.getMessage() + "; " + condition());
			}
		}
		IdentityStore.Identity enrolled = enrollWithNewToken();
		this.state = State.NONE;
		return enrolled;
	}

	private IdentityStore.Identity reattest(IdentityStore.Identity held)
			throws ServerClient.ServerException, IOException {
		SpiffeId id = IdentityRenewal.spiffeId(held.certificate());
		String name = id.path().substring(id.path().lastIndexOf('/') + 1);
		Log.info("agent certificate expired at " + held.certificate().getNotAfter().toInstant()
				+ " or shut out; re-attesting with its key agent=" + name);
		CertificateAuthority.Issued issued = this.ca.reattest(name, held.certificate(),
				Csr.create(new KeyPair(held.certificate().getPublicKey(), held.key()), id, List.of()), held.bundle());
		IdentityStore.Identity back = new IdentityStore.Identity(held.key(), issued.chain(), issued.bundle(),
				this.clock.instant());
		this.store.save(back);
		Log.info("agent re-attested serial=" + SerialNumbers.toHex(issued.certificate().getSerialNumber())
				+ " notAfter=" + issued.certificate().getNotAfter().toInstant());
		return back;
	}

	private IdentityStore.Identity enrollWithNewToken() throws Exception {
		String token;
		try {
			token = this.config.resolveJoinToken();
		}
		catch (AgentConfig.ConfigException ex) {
			throw new Waiting(condition() + ": " + ex.getMessage());
		}
		if (token.isEmpty() || this.store.spent(Enrollment.tokenId(token))) {
			throw new Waiting(condition() + ": the token there was used already; put one from "
					+ "'tether token create --agent NAME' there");
		}
		return this.enrollment.enroll(token);
	}

	private String tokenSource() {
		return (this.config.joinTokenFile() != null) ? this.config.joinTokenFile().toString()
				: "the configuration (joinToken)";
	}

	/** Nothing to try yet: a join token is awaited. */
	static final class Waiting extends Exception {

		private static final long serialVersionUID = 1L;

		Waiting(String message) {
			super(message);
		}

	}

}
