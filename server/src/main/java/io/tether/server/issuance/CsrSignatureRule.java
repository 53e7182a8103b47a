package io.tether.server.issuance;

import io.tether.server.web.RequestFields;

import org.springframework.stereotype.Component;

/**
 * The CSR's signature must verify with its own public key: proof that the requester holds
 * the private key.
 */
@Component
class CsrSignatureRule implements IssuanceRule {

	@Override
	public void check(IssuanceRequest request) {
		RequestFields.requireProofOfPossession(request.csr());
	}

}
