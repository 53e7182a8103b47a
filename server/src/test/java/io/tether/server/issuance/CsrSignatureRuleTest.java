package io.tether.server.issuance;

import java.security.KeyPairGenerator;
import java.util.List;

import io.tether.api.ProblemType;
import io.tether.pki.Csr;
import org.junit.jupiter.api.Test;

import static io.tether.server.issuance.IssuanceFixtures.SPIFFE_ID;
import static io.tether.server.issuance.IssuanceFixtures.TTL;
import static io.tether.server.issuance.IssuanceFixtures.assertRefused;
import static io.tether.server.issuance.IssuanceFixtures.csr;
import static io.tether.server.issuance.IssuanceFixtures.request;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link CsrSignatureRule}.
 */
class CsrSignatureRuleTest {

	private final CsrSignatureRule rule = new CsrSignatureRule();

	@Test
	void checkWhenSignatureValidPasses() {
		Csr csr = Csr.fromDer(csr(SPIFFE_ID, "web.example.org").encoded());
		assertThatNoException()
			.isThrownBy(() -> this.rule.check(request(csr, SPIFFE_ID, List.of("web.example.org"), TTL)));
	}

	@Test
	void checkWhenSignatureTamperedIsRefused() {
		byte[] der = csr(SPIFFE_ID).encoded();
		der[der.length - 2] ^= 0x01;
		Csr tampered = Csr.fromDer(der);
		assertRefused(this.rule, request(tampered, SPIFFE_ID, List.of(), TTL), ProblemType.CSR_SIGNATURE_INVALID)
			.withMessageContaining("signature does not verify");
	}

	@Test
	void checkWhenKeyUnsupportedIsRefusedAsKeyTypeEvenWithoutKeyTypeRuleFirst() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(1024);
		Csr weak = IssuanceFixtures.bouncyCastleCsr(generator.generateKeyPair(), "SHA256withRSA");
		assertRefused(this.rule, request(weak, SPIFFE_ID, List.of(), TTL), ProblemType.KEY_TYPE_NOT_ALLOWED)
			.withMessageContaining("1024 bits");
	}

}
