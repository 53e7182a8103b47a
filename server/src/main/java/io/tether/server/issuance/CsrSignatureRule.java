package io.tether.server.issuance;

import io.tether.api.ProblemType;
import io.tether.pki.InvalidCsrException;
import io.tether.pki.UnsupportedKeyException;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * The CSR's signature must verify with its own public key: proof that the requester holds
 * the private key.
 */
@Component
class CsrSignatureRule implements IssuanceRule {

	@Override
	public void check(IssuanceRequest request) {
		try {
			request.csr().verifyProofOfPossession();
		}
		catch (InvalidCsrException ex) {
			throw new ApiException(ProblemType.CSR_SIGNATURE_INVALID, ex.getMessage());
		}
		catch (UnsupportedKeyException ex) {
			throw new ApiException(ProblemType.KEY_TYPE_NOT_ALLOWED, ex.getMessage());
		}
	}

}
