package io.tether.server.revocation;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.tether.server.revocation.OcspResponder.MalformedRequest;
import io.tether.server.revocation.OcspResponder.Questions;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.cert.ocsp.CertificateID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the OCSP responder's request decoding, which anyone can reach without a
 * certificate: any bytes are either 1 to 16 questions whose every part the responder
 * reads, or a {@link MalformedRequest} (answered {@code malformedRequest}). Any other
 * exception would be answered {@code internalError}. Seeds are in
 * {@code src/test/resources/io/tether/server/revocation/OcspRequestsFuzzTestInputs/}.
 */
class OcspRequestsFuzzTest {

	@FuzzTest
	void decode(byte[] input) {
		Questions questions;
		try {
			questions = OcspResponder.decode(input);
		}
		catch (MalformedRequest ex) {
			return;
		}
		assertThat(questions.ids()).hasSizeBetween(1, OcspResponder.MAX_QUESTIONS);
		for (CertificateID id : questions.ids()) {
			assertThat(id.getHashAlgOID()).isIn(CertificateID.HASH_SHA1.getAlgorithm(),
					org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
			assertThat(id.getIssuerNameHash()).isNotNull();
			assertThat(id.getIssuerKeyHash()).isNotNull();
			assertThat(id.getSerialNumber()).isNotNull();
		}
		if (questions.nonce() != null) {
			ASN1OctetString value = questions.nonce().getExtnValue();
			assertThat(value.getOctets()).isNotEmpty();
		}
	}

}
