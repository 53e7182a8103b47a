package io.tether.server;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tether.api.IssuedCertificate;
import io.tether.pki.CaCredential;
import io.tether.pki.CertificateProfile;
import io.tether.pki.CertificateSigner;
import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.SerialNumbers;
import io.tether.pki.SpiffeId;
import io.tether.pki.Thumbprints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * Runs the issuance path's own work in memory while the server starts, so that the JIT
 * has compiled it when the first requests arrive (a fleet reconnecting after a restart
 * arrives all at once): CSR parsing and its signature check with a fresh key per CSR,
 * signing a leaf, PEM and the JSON answer, for {@code tether.issuance.warmup} (2 s by
 * default; {@code 0} skips it). It runs before the application context is refreshed, that
 * is before the server mints its TLS certificate and opens its port, so it delays the
 * start but ages no certificate. It signs with a throwaway CA made for it and forgotten
 * after: no certificate under the real CA's keys is made, and nothing is stored.
 */
class IssuanceWarmup implements ApplicationListener<ApplicationPreparedEvent> {

	private static final Logger logger = LoggerFactory.getLogger(IssuanceWarmup.class);

	/** CSRs with keys of their own, used in turn. */
	private static final int CSRS = 64;

	@Override
	public void onApplicationEvent(ApplicationPreparedEvent event) {
		Duration duration;
		try {
			duration = Binder.get(event.getApplicationContext().getEnvironment())
				.bind("tether.issuance.warmup", Duration.class)
				.orElse(Duration.ofSeconds(2));
		}
		catch (RuntimeException ex) {
			// an invalid value stops the start when the properties are bound, with its
			// name
			return;
		}
		if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofMinutes(1)) > 0) {
			return;
		}
		long started = System.nanoTime();
		try {
			int rounds = warm(duration);
			logger.info("Issuance path warmed up: {} certificates signed in memory under a throwaway CA in {} ms",
					rounds, (System.nanoTime() - started) / 1_000_000);
		}
		catch (RuntimeException | GeneralSecurityException ex) {
			// a warm-up that fails costs speed, not correctness
			logger.warn("Issuance warm-up failed; the first requests will be slower: {}", ex.toString());
		}
	}

	private static int warm(Duration budget) throws GeneralSecurityException {
		SecureRandom random = new SecureRandom();
		CertificateSigner signer = new CertificateSigner(Clock.systemUTC(), random);
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"), random);
		KeyPair caKeys = generator.generateKeyPair();
		X509Certificate caCertificate = signer.selfSign(
				new CertificateProfile.Root("Tether warm-up CA", "Tether warm-up", Duration.ofMinutes(5)), caKeys);
		CaCredential ca = new CaCredential(caCertificate, caKeys.getPrivate());
		SpiffeId spiffeId = SpiffeId.parse("spiffe://warmup.invalid/warmup");
		List<String> csrs = new ArrayList<>();
		for (int i = 0; i < CSRS; i++) {
			csrs.add(Csr.create(generator.generateKeyPair(), spiffeId, List.of()).toPem());
		}
		JsonMapper json = JsonMapper.builder().build();
		long end = System.nanoTime() + budget.toNanos();
		int rounds = 0;
		while (System.nanoTime() < end) {
			Csr csr = Csr.fromPem(csrs.get(rounds % CSRS));
			csr.verifyProofOfPossession();
			X509Certificate leaf = signer.sign(new CertificateProfile.Leaf(spiffeId, List.of(), Duration.ofMinutes(5)),
					csr.publicKey(), ca);
			IssuedCertificate answer = new IssuedCertificate(SerialNumbers.toHex(leaf.getSerialNumber()),
					spiffeId.toString(), List.of(), leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
					Thumbprints.x5tS256(leaf), Pem.write(List.of(leaf, caCertificate)));
			json.writeValueAsBytes(answer);
			rounds++;
		}
		return rounds;
	}

}
