package io.tether.server.issuance;

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
import io.tether.server.TetherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the issuance path's own work in memory before the HTTPS port opens, so that the
 * JIT has compiled it when the first requests arrive (a fleet reconnecting after a
 * restart arrives all at once): CSR parsing and its signature check with a fresh key per
 * CSR, signing a leaf, PEM and the JSON answer, for {@code tether.issuance.warmup} (2 s
 * by default; {@code 0} skips it). It signs with a throwaway CA made for it and forgotten
 * after: no certificate under the real CA's keys is made, nothing is stored.
 */
@Component
class IssuanceWarmup implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(IssuanceWarmup.class);

	/** CSRs with keys of their own, used in turn. */
	private static final int CSRS = 64;

	private final Duration duration;

	private final JsonMapper json;

	private volatile boolean running;

	IssuanceWarmup(TetherProperties properties, JsonMapper json) {
		this.duration = properties.issuance().warmup();
		this.json = json;
	}

	@Override
	public void start() {
		this.running = true;
		if (this.duration.isZero()) {
			return;
		}
		long started = System.nanoTime();
		try {
			int rounds = warm(this.duration);
			logger.info("Issuance path warmed up: {} certificates signed in memory under a throwaway CA in {} ms",
					rounds, (System.nanoTime() - started) / 1_000_000);
		}
		catch (RuntimeException | java.security.GeneralSecurityException ex) {
			// a warm-up that fails costs speed, not correctness
			logger.warn("Issuance warm-up failed; the first requests will be slower: {}", ex.toString());
		}
	}

	private int warm(Duration budget) throws java.security.GeneralSecurityException {
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
			this.json.writeValueAsBytes(answer);
			rounds++;
		}
		return rounds;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Before the web server starts ({@code SmartLifecycle.DEFAULT_PHASE - 1024}), that is
	 * before the port opens.
	 */
	@Override
	public int getPhase() {
		return 0;
	}

}
