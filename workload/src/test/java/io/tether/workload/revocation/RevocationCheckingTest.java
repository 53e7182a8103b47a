package io.tether.workload.revocation;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

class RevocationCheckingTest {

	private final URI base = URI.create("http://ca.example:8080");

	@Test
	void defaultsFailOpenWithShortTimeoutsAndAFiveMinuteMaxAge() {
		RevocationChecking settings = RevocationChecking.ocsp(this.base);
		assertThat(settings.method()).isEqualTo(RevocationChecking.Method.OCSP);
		assertThat(settings.failMode()).isEqualTo(FailMode.FAIL_OPEN);
		assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(2));
		assertThat(settings.maxAge()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void withMethodsChangeACopy() {
		RevocationChecking settings = RevocationChecking.crl(this.base);
		RevocationChecking closed = settings.failClosed().withTimeouts(Duration.ofMillis(300), Duration.ofSeconds(1));
		assertThat(settings.failMode()).isEqualTo(FailMode.FAIL_OPEN);
		assertThat(closed.failMode()).isEqualTo(FailMode.FAIL_CLOSED);
		assertThat(closed.method()).isEqualTo(RevocationChecking.Method.CRL);
		assertThat(closed.connectTimeout()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void baseUriIsRequiredAndHttp() {
		assertThatNullPointerException().isThrownBy(() -> RevocationChecking.ocsp(null))
			.withMessage("'baseUri' must not be null");
		assertThatIllegalArgumentException().isThrownBy(() -> RevocationChecking.ocsp(URI.create("ldap://ca")))
			.withMessage("'baseUri' must be an http or https URL");
	}

	@Test
	void durationsAndSizesAreChecked() {
		RevocationChecking settings = RevocationChecking.ocsp(this.base);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> settings.withTimeouts(Duration.ZERO, Duration.ofSeconds(1)))
			.withMessage("'connectTimeout' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withMaxAge(Duration.ofSeconds(-1)))
			.withMessage("'maxAge' must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withCacheSize(0))
			.withMessage("'cacheSize' must be at least 1");
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withRetryAfterFailure(Duration.ofSeconds(-1)))
			.withMessage("'retryAfterFailure' must not be negative");
	}

	@Test
	void endpointsAreUnderTheBaseWithOrWithoutATrailingSlash() {
		assertThat(Endpoints.resolve(URI.create("http://ca:8080"), "ocsp")).hasToString("http://ca:8080/ocsp");
		assertThat(Endpoints.resolve(URI.create("http://ca:8080/pki/"), "crl/ab.crl"))
			.hasToString("http://ca:8080/pki/crl/ab.crl");
	}

}
