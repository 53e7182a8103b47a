package io.tether.workload.revocation;

import java.security.cert.CRLReason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.net.URI;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

import io.tether.pki.testing.ManualClock;
import io.tether.pki.testing.TestPki;
import io.tether.workload.CredentialSource;
import io.tether.workload.TetherSsl;
import io.tether.workload.X509Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real TLS handshakes between {@link TetherSsl} contexts, with a fake CA serving OCSP and
 * CRLs: what a workload relies on when it turns revocation checking on.
 */
class RevocationCheckingTrustManagerTest {

	private final TestPki pki = TestPki.root().intermediate();

	private final TestPki.Issued server = this.pki.leaf("spiffe://example.org/server", "localhost");

	private final TestPki.Issued client = this.pki.leaf("spiffe://example.org/client");

	private final ManualClock clock = new ManualClock(Instant.now());

	private final FakeRevocationAuthority authority;

	RevocationCheckingTrustManagerTest() throws Exception {
		this.authority = new FakeRevocationAuthority(this.pki.issuerCredential(),
				TestPki.root().intermediate().issuerCredential(), this.clock);
	}

	@AfterEach
	void stop() {
		this.authority.close();
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void serverAcceptsAGoodClientAndRefusesARevokedOne(RevocationChecking.Method method) throws Exception {
		SSLContext serverContext = TetherSsl.context(source(this.server), settings(method).failClosed());
		assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();

		Instant revokedAt = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		this.authority.revoke(this.client.certificate(), revokedAt, 1);
		// a new context: nothing cached from the good answer
		Handshakes.Outcome outcome = Handshakes.run(TetherSsl.context(source(this.server), settings(method)),
				plain(this.client));

		assertThat(outcome.server()).hasRootCauseInstanceOf(RevokedCertificateException.class)
			.rootCause()
			.hasMessageContaining(this.client.certificate().getSerialNumber().toString(16))
			.hasMessageContaining(revokedAt.toString())
			.hasMessageContaining("KEY_COMPROMISE");
		assertThat(outcome.client()).isNotNull();
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void clientAcceptsAGoodServerAndRefusesARevokedOne(RevocationChecking.Method method) throws Exception {
		assertThat(Handshakes.run(plain(this.server), TetherSsl.context(source(this.client), settings(method)))
			.succeeded()).isTrue();

		Instant revokedAt = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		this.authority.revoke(this.server.certificate(), revokedAt, 4);
		Handshakes.Outcome outcome = Handshakes.run(plain(this.server),
				TetherSsl.context(source(this.client), settings(method)));

		assertThat(outcome.client()).hasRootCauseInstanceOf(RevokedCertificateException.class)
			.rootCause()
			.hasMessageContaining(this.server.certificate().getSerialNumber().toString(16))
			.hasMessageContaining(revokedAt.toString())
			.hasMessageContaining(CRLReason.SUPERSEDED.name());
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void repeatedHandshakesAskOnceUntilTheAnswersNextUpdate(RevocationChecking.Method method) throws Exception {
		this.authority.validity(Duration.ofSeconds(30));
		SSLContext serverContext = TetherSsl.context(source(this.server), settings(method).failClosed());
		for (int i = 0; i < 5; i++) {
			// a fresh client each time: no session to resume, so every handshake checks
			assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();
		}
		assertThat(requests(method)).isOne();

		this.authority.revoke(this.client.certificate(), this.clock.instant(), 1);
		assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded())
			.as("the cached good answer holds until its nextUpdate")
			.isTrue();
		this.clock.advance(Duration.ofSeconds(31));

		Handshakes.Outcome outcome = Handshakes.run(serverContext, plain(this.client));
		assertThat(requests(method)).isEqualTo(2);
		assertThat(outcome.server()).hasRootCauseInstanceOf(RevokedCertificateException.class);
	}

	@Test
	void answersAreAskedAgainAfterTheMaxAgeEvenWhenTheirNextUpdateIsLater() throws Exception {
		this.authority.validity(Duration.ofHours(1));
		SSLContext serverContext = TetherSsl.context(source(this.server),
				settings(RevocationChecking.Method.OCSP).withMaxAge(Duration.ofMinutes(5)));
		assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();
		assertThat(this.authority.ocspRequests()).isOne();

		this.clock.advance(Duration.ofMinutes(2));
		assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();
		assertThat(this.authority.ocspRequests()).isEqualTo(2);
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void failClosedRefusesPeersWhenTheAuthorityIsDown(RevocationChecking.Method method) throws Exception {
		this.authority.close();
		Handshakes.Outcome outcome = Handshakes
			.run(TetherSsl.context(source(this.server), settings(method).failClosed()), plain(this.client));

		assertThat(outcome.server()).isInstanceOf(SSLHandshakeException.class)
			.hasStackTraceContaining("cannot be had, and revocation checking fails closed");
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void failOpenAcceptsPeersWhenTheAuthorityIsDownAndWarnsOnce(RevocationChecking.Method method) throws Exception {
		this.authority.close();
		SSLContext serverContext = TetherSsl.context(source(this.server), settings(method).failOpen());
		List<LogRecord> warnings = new CopyOnWriteArrayList<>();
		Logger logger = Logger.getLogger(RevocationChecker.class.getName());
		Handler handler = capture(warnings);
		logger.addHandler(handler);
		try {
			for (int i = 0; i < 3; i++) {
				assertThat(Handshakes.run(serverContext, plain(this.client)).succeeded()).isTrue();
			}
		}
		finally {
			logger.removeHandler(handler);
		}
		assertThat(warnings).singleElement()
			.extracting(LogRecord::getMessage)
			.asString()
			.contains(this.client.certificate().getSerialNumber().toString(16))
			.contains("fails open");
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void forgedRevocationIsNotBelievedInFailOpen(RevocationChecking.Method method) throws Exception {
		this.authority.signing(FakeRevocationAuthority.Signing.FORGED);
		this.authority.revoke(this.client.certificate(), this.clock.instant(), 1);

		assertThat(Handshakes.run(TetherSsl.context(source(this.server), settings(method)), plain(this.client))
			.succeeded()).isTrue();
		Handshakes.Outcome closed = Handshakes
			.run(TetherSsl.context(source(this.server), settings(method).failClosed()), plain(this.client));
		assertThat(closed.server()).isInstanceOf(SSLHandshakeException.class)
			.hasStackTraceContaining("not trusted")
			.hasStackTraceContaining("fails closed");
		assertThat(closed.server()).rootCause().isNotInstanceOf(RevokedCertificateException.class);
	}

	private int requests(RevocationChecking.Method method) {
		return (method == RevocationChecking.Method.OCSP) ? this.authority.ocspRequests()
				: this.authority.crlRequests();
	}

	private RevocationChecking settings(RevocationChecking.Method method) {
		Function<URI, RevocationChecking> of = (method == RevocationChecking.Method.OCSP) ? RevocationChecking::ocsp
				: RevocationChecking::crl;
		return of.apply(this.authority.baseUri()).withClock(this.clock);
	}

	private SSLContext plain(TestPki.Issued issued) {
		return TetherSsl.context(source(issued));
	}

	private CredentialSource source(TestPki.Issued issued) {
		X509Credentials credentials = new X509Credentials(issued.keys().getPrivate(), issued.chain(),
				List.of(this.pki.rootCredential().certificate()));
		return () -> credentials;
	}

	private static Handler capture(List<LogRecord> records) {
		return new Handler() {

			@Override
			public void publish(LogRecord record) {
				if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
					records.add(record);
				}
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		};
	}

}
