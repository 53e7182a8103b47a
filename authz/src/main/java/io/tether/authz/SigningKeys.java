package io.tether.authz;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

/**
 * Token signing keys (EC P-256, in memory): a new one every {@code signing-key-rotation};
 * a retired key stays published in the JWKS for one token lifetime plus a margin, so
 * tokens it signed keep verifying until they expire. The newest key signs.
 */
final class SigningKeys implements JWKSource<SecurityContext> {

	private record Generation(ECKey key, Instant created) {
	}

	private final Duration rotation;

	private final Duration published;

	private final Clock clock;

	private final List<Generation> generations = new ArrayList<>();

	SigningKeys(Duration rotation, Duration tokenTtl, Clock clock) {
		this.rotation = rotation;
		this.published = tokenTtl.plus(Duration.ofMinutes(5));
		this.clock = clock;
	}

	/** The key that signs now; rotates when it is due. */
	synchronized ECKey current() {
		Instant now = this.clock.instant();
		if (this.generations.isEmpty() || !now.isBefore(this.generations.get(0).created().plus(this.rotation))) {
			this.generations.add(0, new Generation(generate(), now));
		}
		// keep every key that may still have signed an unexpired token
		for (int i = this.generations.size() - 1; i > 0; i--) {
			Instant retired = this.generations.get(i - 1).created();
			if (now.isAfter(retired.plus(this.published))) {
				this.generations.remove(i);
			}
		}
		return this.generations.get(0).key();
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		current();
		List<JWK> keys;
		synchronized (this) {
			keys = this.generations.stream().map((generation) -> (JWK) generation.key()).toList();
		}
		return selector.select(new JWKSet(keys));
	}

	private static ECKey generate() {
		try {
			return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString())
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.ES256)
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot generate a signing key", ex);
		}
	}

}
