package io.tether.pki;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChainsTest {

	private static final String SPIFFE_ID = "spiffe://example.org/ns/web";

	private final CaCredential root = TestCertificates.root("Test Root CA");

	private final CaCredential intermediate = TestCertificates.intermediate(this.root);

	private final X509Certificate leaf = TestCertificates.leaf(this.intermediate, TestKeys.of(KeyType.EC_P256),
			SPIFFE_ID);

	private final List<X509Certificate> roots = List.of(this.root.certificate());

	@Test
	void chainToTheRootValidatesWithOrWithoutTheRootInIt() {
		assertThat(Chains.problem(List.of(this.leaf, this.intermediate.certificate()), this.roots, List.of()))
			.isEmpty();
		assertThat(Chains.problem(List.of(this.leaf, this.intermediate.certificate(), this.root.certificate()),
				this.roots, List.of()))
			.isEmpty();
	}

	@Test
	void leafAloneValidatesOnlyWhenItsIntermediateIsKnown() {
		assertThat(Chains.problem(List.of(this.leaf), this.roots, List.of(this.intermediate.certificate()))).isEmpty();
		assertThat(Chains.problem(List.of(this.leaf), this.roots, List.of())).isPresent();
	}

	@Test
	void leafAloneValidatesUnderTheNewerOfTwoIntermediatesOfTheSameName() {
		// a rotation: the retiring and the new intermediate share a name, the retiring
		// one
		// listed first
		CaCredential next = TestCertificates.intermediate(this.root);
		X509Certificate leafOfNext = TestCertificates.leaf(next, TestKeys.of(KeyType.EC_P256), SPIFFE_ID);
		List<X509Certificate> both = List.of(this.intermediate.certificate(), next.certificate());
		assertThat(next.certificate().getSubjectX500Principal())
			.isEqualTo(this.intermediate.certificate().getSubjectX500Principal());
		assertThat(Chains.problem(List.of(leafOfNext), this.roots, both)).isEmpty();
		assertThat(Chains.problem(List.of(this.leaf), this.roots, both)).isEmpty();
		assertThat(Chains.problem(List.of(leafOfNext), this.roots, List.of(this.intermediate.certificate())))
			.isPresent();
	}

	@Test
	void chainOfAnotherCaDoesNotValidate() {
		List<X509Certificate> otherRoots = List.of(TestCertificates.root("Other Root CA").certificate());
		assertThat(Chains.problem(List.of(this.leaf, this.intermediate.certificate()), otherRoots, List.of()))
			.isPresent();
		assertThat(Chains.problem(List.of(), this.roots, List.of())).contains("no certificate");
	}

	@Test
	void expiredCertificateIsNamed() {
		CertificateSigner lastMonth = new CertificateSigner(
				Clock.fixed(Instant.now().minus(Duration.ofDays(10)), ZoneOffset.UTC), new SecureRandom());
		KeyPair keys = TestKeys.of(KeyType.EC_P256);
		X509Certificate expired = lastMonth.sign(
				new CertificateProfile.Leaf(SpiffeId.parse(SPIFFE_ID), List.of(), Duration.ofHours(1)),
				keys.getPublic(), this.intermediate);
		assertThat(Chains.problem(List.of(expired, this.intermediate.certificate()), this.roots, List.of()))
			.contains("certificate 1 has expired");
	}

}
