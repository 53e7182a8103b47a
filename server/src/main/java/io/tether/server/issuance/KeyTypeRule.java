package io.tether.server.issuance;

import java.util.List;
import java.util.stream.Collectors;

import io.tether.api.ProblemType;
import io.tether.pki.KeyType;
import io.tether.pki.UnsupportedKeyException;
import io.tether.server.TetherProperties;
import io.tether.server.web.ApiException;

import org.springframework.stereotype.Component;

/**
 * The CSR's key must be of a type in {@code tether.issuance.allowed-key-types}.
 */
@Component
class KeyTypeRule implements IssuanceRule {

	private final List<KeyType> allowed;

	KeyTypeRule(TetherProperties properties) {
		this.allowed = properties.issuance().keyTypes();
	}

	@Override
	public void check(IssuanceRequest request) {
		KeyType type;
		try {
			type = request.csr().keyType();
		}
		catch (UnsupportedKeyException ex) {
			throw new ApiException(ProblemType.KEY_TYPE_NOT_ALLOWED, ex.getMessage());
		}
		if (!this.allowed.contains(type)) {
			throw new ApiException(ProblemType.KEY_TYPE_NOT_ALLOWED,
					"Key type " + type.id() + " is not allowed here; allowed: "
							+ this.allowed.stream().map(KeyType::id).collect(Collectors.joining(", ")));
		}
	}

}
