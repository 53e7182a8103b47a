package io.tether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tether.api.CsrRequest;
import io.tether.api.IssuedCertificate;
import io.tether.pki.AtomicFiles;
import io.tether.pki.Csr;
import io.tether.pki.Pem;
import io.tether.pki.SpiffeId;

/**
 * Keeps an operator's short-lived certificate (from {@code tether login}) alive: any
 * command renews it, for the same key, once half of its life is gone, so that an operator
 * who uses the CLI at least every few hours never needs a new enrollment token.
 */
final class OperatorRenewal {

	private OperatorRenewal() {
	}

	/**
	 * Whether a certificate is an operator's and past half of its life: the same point as
	 * agents renew at, leaving the other half for retries.
	 */
	static boolean due(X509Certificate certificate, Instant now) {
		if (!isOperator(certificate)) {
			return false;
		}
		Instant notBefore = certificate.getNotBefore().toInstant();
		Instant notAfter = certificate.getNotAfter().toInstant();
		Instant half = notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
		return !now.isBefore(half) && now.isBefore(notAfter);
	}

	static boolean isOperator(X509Certificate certificate) {
		return SpiffeId.of(certificate).map((id) -> id.path().startsWith("/tether/operator/")).orElse(false);
	}

	/**
	 * Renews the configured operator certificate and replaces its file atomically.
	 * @return the new certificate's end of validity
	 */
	static Instant renew(ApiClient api, CliConfig config) {
		try {
			PrivateKey key = Pem.readPrivateKey(Files.readString(config.key()));
			X509Certificate current = Pem.readCertificate(Files.readString(config.certificate()));
			if (!isOperator(current)) {
				throw new CliException(ExitCode.USAGE, config.certificate()
						+ " is not an operator certificate; the bootstrap admin renews with 'tether admin renew'");
			}
			SpiffeId id = SpiffeId.of(current).orElseThrow();
			String csr = Csr.create(new KeyPair(current.getPublicKey(), key), id, List.of()).toPem();
			IssuedCertificate renewed = api.post("/v1/operators/renew", new CsrRequest(csr), IssuedCertificate.class)
				.value();
			// the key stays: only the certificate is replaced, in one rename
			AtomicFiles.write(config.certificate(), renewed.certificateChain().getBytes(StandardCharsets.US_ASCII),
					Files.getPosixFilePermissions(config.certificate()));
			return renewed.notAfter();
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.FAILED, "Cannot renew " + config.certificate() + ": " + ex, ex);
		}
	}

}
