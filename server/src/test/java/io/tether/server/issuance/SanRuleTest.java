package io.tether.server.issuance;

import java.util.List;
import java.util.stream.IntStream;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import io.tether.pki.SpiffeId;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.tether.server.issuance.IssuanceFixtures.ALL_KEY_TYPES;
import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.TTL;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.bouncyCastleCsr;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.ecP256Keys;
import static io.tether.server.issuance.IssuanceFixtures.properties;
import static io.tether.server.issuance.IssuanceFixtures.request;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link SanRule}.
 */
class SanRuleTest {

	private final SanRule unrestricted = new SanRule(properties());

	private final SanRule internalOnly = new SanRule(properties(ALL_KEY_TYPES, List.of("internal", "svc.example")));

	@Test
	void checkWhenNoSuffixesConfiguredPassesAnyDnsName() {
		List<String> names = List.of("web.example.org", "anything.test", "localhost");
		assertThatNoException().isThrownBy(() -> this.unrestricted.check(request(SPIFFE_ID, names, TTL)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a.internal", "internal", "a.b.internal", "db.svc.example", "svc.example" })
	void checkWhenDnsNameUnderAllowedSuffixPasses(String name) {
		assertThatNoException()
			.isThrownBy(() -> this.internalOnly.check(request(SPIFFE_ID, List.of("web.internal", name), TTL)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "evilinternal", "internal.evil", "a.internal-x", "example", "evilsvc.example" })
	void checkWhenDnsNameNotUnderAllowedSuffixIsRefused(String name) {
		assertRefused(this.internalOnly, request(SPIFFE_ID, List.of("web.internal", name), TTL),
				ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("DNS name '" + name + "' is not under an allowed suffix [internal, svc.example]");
	}

	@Test
	void checkWhenSuffixConfiguredInUpperCaseMatchesLowerCaseName() {
		SanRule rule = new SanRule(properties(ALL_KEY_TYPES, List.of("Internal")));
		assertThatNoException().isThrownBy(() -> rule.check(request(SPIFFE_ID, List.of("web.internal"), TTL)));
	}

	@Test
	void checkWhen100DnsNamesPasses() {
		List<String> names = dnsNames(SanRule.MAX_DNS_NAMES);
		assertThatNoException()
			.isThrownBy(() -> this.unrestricted.check(request(csr(SPIFFE_ID), SPIFFE_ID, names, TTL)));
	}

	@Test
	void checkWhenMoreThan100DnsNamesIsRefused() {
		List<String> names = dnsNames(SanRule.MAX_DNS_NAMES + 1);
		assertRefused(this.unrestricted, request(csr(SPIFFE_ID), SPIFFE_ID, names, TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessage("At most 100 DNS names per certificate");
	}

	@Test
	void checkWhenCsrUriSanDiffersFromRequestIsRefused() {
		Csr csr = csr(SpiffeId.parse("spiffe://example.org/ns/db/sa/postgres"));
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("asks for URI SANs [spiffe://example.org/ns/db/sa/postgres]")
			.withMessageContaining("the request is for " + SPIFFE_ID);
	}

	@Test
	void checkWhenCsrAsksForSeveralUrisIsRefused() throws Exception {
		Csr csr = bouncyCastleCsr(ecP256Keys(), "SHA256withECDSA",
				new GeneralName(GeneralName.uniformResourceIdentifier, SPIFFE_ID.toString()),
				new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://example.org/ns/db/sa/postgres"));
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("asks for URI SANs");
	}

	@Test
	void checkWhenCsrDnsNamesDifferFromRequestIsRefused() {
		Csr csr = csr(SPIFFE_ID, "web.internal", "db.internal");
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of("web.internal"), TTL),
				ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("asks for DNS names [web.internal, db.internal]")
			.withMessageContaining("the request is for [web.internal]");
	}

	@Test
	void checkWhenCsrAsksForDnsNamesAndRequestHasNoneIsRefused() {
		Csr csr = csr(SPIFFE_ID, "web.internal");
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("asks for DNS names [web.internal]");
	}

	@Test
	void checkWhenCsrSansMatchRequestPasses() {
		Csr csr = csr(SPIFFE_ID, "web.internal", "api.internal");
		assertThatNoException().isThrownBy(
				() -> this.internalOnly.check(request(csr, SPIFFE_ID, List.of("web.internal", "api.internal"), TTL)));
	}

	@Test
	void checkWhenCsrSansMatchRequestInOtherOrderAndCasePasses() {
		Csr csr = csr(SPIFFE_ID, "API.internal", "Web.Internal");
		assertThatNoException().isThrownBy(
				() -> this.internalOnly.check(request(csr, SPIFFE_ID, List.of("web.internal", "api.internal"), TTL)));
	}

	@Test
	void checkWhenCsrHasOnlyUriSanMatchingRequestPasses() {
		Csr csr = csr(SPIFFE_ID);
		assertThatNoException()
			.isThrownBy(() -> this.unrestricted.check(request(csr, SPIFFE_ID, List.of("web.internal"), TTL)));
	}

	@Test
	void checkWhenCsrHasNoSansPasses() {
		Csr csr = Csr.create(ecP256Keys(), null, List.of());
		assertThatNoException()
			.isThrownBy(() -> this.unrestricted.check(request(csr, SPIFFE_ID, List.of("web.internal"), TTL)));
	}

	@Test
	void checkWhenCsrAsksForEmailSanIsRefused() throws Exception {
		Csr csr = bouncyCastleCsr(ecP256Keys(), "SHA256withECDSA",
				new GeneralName(GeneralName.uniformResourceIdentifier, SPIFFE_ID.toString()),
				new GeneralName(GeneralName.rfc822Name, "admin@example.org"));
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("SANs other than URI and DNS names");
	}

	@Test
	void checkWhenCsrAsksForIpAddressSanIsRefused() throws Exception {
		Csr csr = bouncyCastleCsr(ecP256Keys(), "SHA256withECDSA", new GeneralName(GeneralName.iPAddress, "10.0.0.1"));
		assertRefused(this.unrestricted, request(csr, SPIFFE_ID, List.of(), TTL), ProblemType.SAN_NOT_ALLOWED)
			.withMessageContaining("SANs other than URI and DNS names");
	}

	private static List<String> dnsNames(int count) {
		return IntStream.rangeClosed(1, count).mapToObj((i) -> "host" + i + ".internal").toList();
	}

}
