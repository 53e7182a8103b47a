package io.tether.workload.revocation;

import java.math.BigInteger;
import java.security.cert.CRLReason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.tether.pki.testing.ManualClock;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The checker against a fake CA that answers well or badly: only verified answers count.
 */
class RevocationCheckerTest {

	private final TestPki pki = TestPki.root().intermediate();

	private final X509Certificate leaf = this.pki.leaf("spiffe://example.org/web").certificate();

	private final X509Certificate issuer = this.pki.issuerCredential().certificate();

	private final ManualClock clock = new ManualClock(Instant.now());

	private final FakeRevocationAuthority authority;

	RevocationCheckerTest() throws Exception {
		this.authority = new FakeRevocationAuthority(this.pki.issuerCredential(),
				TestPki.root().intermediate().issuerCredential(), this.clock);
	}

	@AfterEach
	void stop() {
		this.authority.close();
	}

	@Test
	void ocspGoodRevokedAndUnknownAreReported() throws Exception {
		RevocationChecker checker = ocsp().withMaxAge(Duration.ofMillis(1)).newChecker();
		assertThat(checker.check(this.leaf, this.issuer)).isInstanceOf(RevocationStatus.Good.class);

		Instant revokedAt = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		this.authority.revoke(this.leaf, revokedAt, 1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(checker.check(this.leaf, this.issuer))
			.isEqualTo(new RevocationStatus.Revoked(revokedAt, CRLReason.KEY_COMPROMISE));

		this.authority.forget(this.leaf);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(checker.check(this.leaf, this.issuer)).isInstanceOf(RevocationStatus.Unknown.class);
	}

	@Test
	void ocspAnswerSignedByTheIssuerItselfIsTrusted() throws Exception {
		this.authority.signing(FakeRevocationAuthority.Signing.ISSUER);
		this.authority.revoke(this.leaf, this.clock.instant(), 1);
		assertThat(ocsp().newChecker().check(this.leaf, this.issuer)).isInstanceOf(RevocationStatus.Revoked.class);
	}

	@ParameterizedTest
	@EnumSource(value = FakeRevocationAuthority.Signing.class,
			names = { "FORGED", "DELEGATED_WITHOUT_EKU", "DELEGATED_BY_ANOTHER_CA" })
	void ocspAnswerFromAnUnauthorizedSignerIsNotTrusted(FakeRevocationAuthority.Signing signing) {
		this.authority.signing(signing);
		this.authority.revoke(this.leaf, this.clock.instant(), 1);
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> ocsp().newChecker().check(this.leaf, this.issuer))
			.withMessageContaining("no authorized signer");
	}

	@Test
	void ocspAnswerAboutAnotherCertificateIsNotTrusted() {
		this.authority.answerAbout(BigInteger.TEN);
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> ocsp().newChecker().check(this.leaf, this.issuer))
			.withMessageContaining("no single response for serial " + this.leaf.getSerialNumber().toString(16));
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void answerFromTheFutureIsNotTrusted(RevocationChecking.Method method) {
		this.authority.thisUpdateOffset(Duration.ofMinutes(6));
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> settings(method).newChecker().check(this.leaf, this.issuer))
			.withMessageContaining("is in the future");
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void answerWithinTheClockSkewIsTrusted(RevocationChecking.Method method) throws Exception {
		this.authority.thisUpdateOffset(Duration.ofMinutes(4));
		assertThat(settings(method).newChecker().check(this.leaf, this.issuer))
			.isInstanceOf(RevocationStatus.Good.class);
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void staleAnswerIsNotTrusted(RevocationChecking.Method method) {
		this.authority.thisUpdateOffset(Duration.ofMinutes(-20));
		this.authority.validity(Duration.ofMinutes(10));
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> settings(method).newChecker().check(this.leaf, this.issuer))
			.withMessageContaining("has passed");
	}

	@Test
	void crlSignedByAnotherKeyIsNotTrusted() {
		this.authority.signing(FakeRevocationAuthority.Signing.FORGED);
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> crl().newChecker().check(this.leaf, this.issuer))
			.withMessageContaining("signature does not verify");
	}

	@Test
	void crlOfAnotherIssuerIsNotTrusted() throws Exception {
		// the same name, another key: the CA serves its CRL under its own key id only
		TestPki other = TestPki.root().intermediate();
		X509Certificate stranger = other.leaf("spiffe://example.org/web").certificate();
		assertThatExceptionOfType(RevocationUnavailableException.class)
			.isThrownBy(() -> crl().newChecker().check(stranger, other.issuerCredential().certificate()))
			.withMessageContaining("HTTP 404");
	}

	@Test
	void ocspUnknownIsRefusedFailClosedAndAcceptedFailOpen() {
		// a CRL cannot say unknown: OCSP only
		RevocationChecking.Method method = RevocationChecking.Method.OCSP;
		this.authority.forget(this.leaf);
		assertThatExceptionOfType(CertificateException.class)
			.isThrownBy(() -> settings(method).failClosed().newChecker().enforce(this.leaf, this.issuer))
			.withMessageContaining("unknown");
		assertThatNoException()
			.isThrownBy(() -> settings(method).failOpen().newChecker().enforce(this.leaf, this.issuer));
	}

	@ParameterizedTest
	@EnumSource(RevocationChecking.Method.class)
	void previousAnswerStillWithinItsNextUpdateIsUsedWhileTheAuthorityIsDown(RevocationChecking.Method method)
			throws Exception {
		this.authority.validity(Duration.ofMinutes(30));
		RevocationChecker checker = settings(method).failClosed().withMaxAge(Duration.ofMinutes(1)).newChecker();
		checker.enforce(this.leaf, this.issuer);
		this.authority.close();

		this.clock.advance(Duration.ofMinutes(2));
		assertThatNoException().isThrownBy(() -> checker.enforce(this.leaf, this.issuer));

		this.clock.advance(Duration.ofMinutes(29));
		assertThatExceptionOfType(CertificateException.class).isThrownBy(() -> checker.enforce(this.leaf, this.issuer))
			.withMessageContaining("fails closed");
	}

	@Test
	void authorityThatFailedIsLeftAloneForTheRetryPause() throws Exception {
		this.authority.signing(FakeRevocationAuthority.Signing.FORGED);
		RevocationChecker checker = ocsp().withRetryAfterFailure(Duration.ofSeconds(10)).newChecker();
		for (int i = 0; i < 3; i++) {
			checker.enforce(this.leaf, this.issuer);
		}
		assertThat(this.authority.ocspRequests()).isOne();

		this.authority.signing(FakeRevocationAuthority.Signing.DELEGATED);
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(checker.check(this.leaf, this.issuer)).isInstanceOf(RevocationStatus.Good.class);
		assertThat(this.authority.ocspRequests()).isEqualTo(2);
	}

	@Test
	void cacheKeepsAtMostItsSize() throws Exception {
		RevocationChecker checker = ocsp().withCacheSize(2).newChecker();
		for (int i = 0; i < 4; i++) {
			checker.check(this.pki.leaf("spiffe://example.org/w" + i).certificate(), this.issuer);
		}
		assertThat(checker.cachedAnswers()).isEqualTo(2);
	}

	private RevocationChecking settings(RevocationChecking.Method method) {
		return (method == RevocationChecking.Method.OCSP) ? ocsp() : crl();
	}

	private RevocationChecking ocsp() {
		return RevocationChecking.ocsp(this.authority.baseUri()).withClock(this.clock);
	}

	private RevocationChecking crl() {
		return RevocationChecking.crl(this.authority.baseUri()).withClock(this.clock);
	}

}
