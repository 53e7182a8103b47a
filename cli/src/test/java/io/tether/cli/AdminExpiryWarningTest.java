package io.tether.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import io.tether.pki.KeyType;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI warns, on stderr, when the admin certificate it uses has fewer than 7 days
 * left, and says where a renewed one is.
 */
class AdminExpiryWarningTest {

	private final TestPki pki = TestPki.root();

	@Test
	void warnsWhenFewerThanSevenDaysAreLeft() {
		var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofDays(3), "spiffe://example.org/tether/admin");
		String warning = ApiClient.expiryWarning(leaf.certificate(), Path.of("admin-cert.pem"), Instant.now());
		assertThat(warning).startsWith("tether: warning: the admin certificate admin-cert.pem expires in 2d")
			.contains("<data-dir>/admin/");
	}

	@Test
	void saysNothingWhileMoreThanSevenDaysAreLeft() {
		var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofDays(90), "spiffe://example.org/tether/admin");
		assertThat(ApiClient.expiryWarning(leaf.certificate(), Path.of("admin-cert.pem"), Instant.now())).isNull();
	}

	@Test
	void saysNothingForACertificateThatIsNotTheAdmins() {
		var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofDays(3), "spiffe://example.org/ns/web");
		assertThat(ApiClient.expiryWarning(leaf.certificate(), Path.of("cert.pem"), Instant.now())).isNull();
	}

	@Test
	void saysAnExpiredCertificateHasExpired() {
		var leaf = this.pki.leaf(KeyType.EC_P256, Duration.ofDays(1), "spiffe://example.org/tether/admin");
		String warning = ApiClient.expiryWarning(leaf.certificate(), Path.of("admin-cert.pem"),
				Instant.now().plus(Duration.ofDays(2)));
		assertThat(warning).contains("has expired");
	}

}
