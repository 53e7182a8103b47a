package io.tether.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads certificates from a PEM or DER file, with the JDK's own parser only, so that the
 * offline commands start fast.
 */
final class CertificateFiles {

	private CertificateFiles() {
	}

	static byte[] read(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.USAGE, "Cannot read " + file + " (" + ex + ")");
		}
	}

	static boolean isPem(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN ");
	}

	static boolean isCsr(byte[] bytes) {
		return new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN CERTIFICATE REQUEST-----")
				|| new String(bytes, StandardCharsets.US_ASCII).contains("-----BEGIN NEW CERTIFICATE REQUEST-----");
	}

	/**
	 * Every certificate in the file, in file order.
	 * @throws CliException if it holds none
	 */
	static List<X509Certificate> certificates(Path file, byte[] bytes) {
		try {
			List<X509Certificate> certificates = CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(bytes))
				.stream()
				.map(X509Certificate.class::cast)
				.toList();
			if (!certificates.isEmpty()) {
				return certificates;
			}
		}
		catch (CertificateException ex) {
			throw new CliException(ExitCode.FAILED,
					file + " holds no readable certificate (" + ex.getMessage() + "); is it a key or a CSR?");
		}
		throw new CliException(ExitCode.FAILED, file + " holds no certificate");
	}

}
