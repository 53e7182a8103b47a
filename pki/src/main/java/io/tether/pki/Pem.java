package io.tether.pki;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemGenerationException;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads and writes PEM: certificates, PKCS#8 private keys (and the older SEC1 / PKCS#1
 * forms on input), and PKCS#10 CSRs. Private keys are always written as unencrypted
 * PKCS#8 ({@code PRIVATE KEY}); protect the file, not the encoding.
 * <p>
 * Stateless and thread-safe.
 */
public final class Pem {

	private static final JcaX509CertificateConverter CERTIFICATE_CONVERTER = new JcaX509CertificateConverter();

	private static final Set<String> KNOWN_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE",
			"CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST", "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY",
			"PUBLIC KEY", "ENCRYPTED PRIVATE KEY", "X509 CRL");

	private Pem() {
	}

	/**
	 * Reads every certificate in a PEM text, in order, ignoring other blocks.
	 * @param pem the text
	 * @return the certificates, possibly empty
	 * @throws PkiException if a certificate block is malformed
	 */
	public static List<X509Certificate> readCertificates(String pem) {
		List<X509Certificate> certificates = new ArrayList<>();
		for (Object object : readObjects(pem)) {
			if (object instanceof X509CertificateHolder holder) {
				certificates.add(toX509(holder));
			}
		}
		return certificates;
	}

	/**
	 * Reads the single certificate of a PEM text.
	 * @param pem the text
	 * @return the first certificate
	 * @throws PkiException if there is no certificate or it is malformed
	 */
	public static X509Certificate readCertificate(String pem) {
		List<X509Certificate> certificates = readCertificates(pem);
		if (certificates.isEmpty()) {
			throw new PkiException("No PEM 'CERTIFICATE' block found");
		}
		return certificates.get(0);
	}

	/**
	 * Reads a private key in PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY})
	 * or PKCS#1 ({@code RSA PRIVATE KEY}) form.
	 * @param pem the text
	 * @return the private key, backed by the JVM's default providers
	 * @throws PkiException if no key is found or it cannot be decoded
	 */
	public static PrivateKey readPrivateKey(String pem) {
		JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
		for (Object object : readObjects(pem)) {
			try {
				if (object instanceof PrivateKeyInfo info) {
					return converter.getPrivateKey(info);
				}
				if (object instanceof PEMKeyPair pair) {
					// SEC1 keys may omit the public key: convert the private part only
					return converter.getPrivateKey(pair.getPrivateKeyInfo());
				}
			}
			catch (IOException ex) {
				throw new PkiException("PEM private key cannot be decoded: " + ex.getMessage(), ex);
			}
		}
		throw new PkiException("No unencrypted PEM private key found (expected 'PRIVATE KEY')");
	}

	/**
	 * Reads a public key ({@code PUBLIC KEY}, X.509 SubjectPublicKeyInfo).
	 * @param pem the text
	 * @return the public key, backed by the JVM's default providers
	 * @throws PkiException if no public key is found or it cannot be decoded
	 */
	public static PublicKey readPublicKey(String pem) {
		for (Object object : readObjects(pem)) {
			if (object instanceof SubjectPublicKeyInfo info) {
				try {
					return new JcaPEMKeyConverter().getPublicKey(info);
				}
				catch (IOException ex) {
					throw new PkiException("PEM public key cannot be decoded: " + ex.getMessage(), ex);
				}
			}
		}
		throw new PkiException("No PEM 'PUBLIC KEY' block found");
	}

	/**
	 * Writes a public key as PEM ({@code PUBLIC KEY}).
	 * @param key the public key
	 * @return the PEM text
	 */
	public static String write(PublicKey key) {
		return writeObjects(key);
	}

	/**
	 * Reads a PKCS#10 certificate signing request.
	 * @param pem the text: one {@code CERTIFICATE REQUEST} block and nothing else but
	 * spaces, tabs and line breaks around it
	 * @return the request, not yet verified
	 * @throws InvalidCsrException if the text is not a PEM CSR, is truncated, holds more
	 * than one block, or has anything else before or after the block
	 */
	public static PKCS10CertificationRequest readCsr(String pem) {
		requireOneBlock(pem);
		List<Object> objects;
		try {
			objects = readObjects(pem);
		}
		catch (PkiException ex) {
			throw InvalidCsrException.malformed(
					"CSR cannot be decoded: its PEM content is truncated, corrupt, or not a PKCS#10 request", ex);
		}
		for (Object object : objects) {
			if (object instanceof PKCS10CertificationRequest request) {
				return request;
			}
		}
		throw InvalidCsrException.malformed("No PEM 'CERTIFICATE REQUEST' block found", null);
	}

	/**
	 * A CSR is one request: a second block or stray text around it (a NUL, a note) would
	 * be silently ignored by the reader, so the caller could not know which one was
	 * signed.
	 */
	private static void requireOneBlock(String pem) {
		if (pem == null) {
			throw InvalidCsrException.malformed("'pem' must not be null", null);
		}
		int start = 0;
		int end = pem.length();
		while (start < end && isPemSpace(pem.charAt(start))) {
			start++;
		}
		while (end > start && isPemSpace(pem.charAt(end - 1))) {
			end--;
		}
		String text = pem.substring(start, end);
		int blocks = 0;
		for (int at = text.indexOf("-----BEGIN "); at >= 0; at = text.indexOf("-----BEGIN ", at + 1)) {
			blocks++;
		}
		if (blocks > 1) {
			throw InvalidCsrException.malformed(
					"The CSR text holds " + blocks + " PEM blocks; send exactly one 'CERTIFICATE REQUEST'", null);
		}
		if (blocks == 1 && (!text.startsWith("-----BEGIN ") || !text.endsWith("-----")
				|| !text.substring(text.lastIndexOf('\n') + 1).startsWith("-----END "))) {
			throw InvalidCsrException.malformed(
					"The CSR text has something other than spaces and line breaks before or after its PEM block", null);
		}
	}

	private static boolean isPemSpace(char c) {
		return c == ' ' || c == '\t' || c == '\r' || c == '\n';
	}

	/**
	 * Writes certificates as consecutive PEM blocks.
	 * @param certificates the certificates, in the order wanted (leaf first for a chain)
	 * @return the PEM text, each block ending in a newline
	 */
	public static String write(List<X509Certificate> certificates) {
		return writeObjects(certificates.toArray());
	}

	/**
	 * Writes one certificate as PEM.
	 * @param certificate the certificate
	 * @return the PEM text
	 */
	public static String write(X509Certificate certificate) {
		return writeObjects(certificate);
	}

	/**
	 * Writes a private key as unencrypted PKCS#8 PEM.
	 * @param key the private key
	 * @return the PEM text ({@code PRIVATE KEY})
	 */
	public static String write(PrivateKey key) {
		try {
			return writeObjects(new JcaPKCS8Generator(key, null));
		}
		catch (PemGenerationException ex) {
			throw new PkiException("Private key cannot be encoded as PKCS#8: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes a CSR as PEM.
	 * @param request the request
	 * @return the PEM text ({@code CERTIFICATE REQUEST})
	 */
	public static String write(PKCS10CertificationRequest request) {
		return writeObjects(request);
	}

	static X509Certificate toX509(X509CertificateHolder holder) {
		try {
			return CERTIFICATE_CONVERTER.getCertificate(holder);
		}
		catch (CertificateException ex) {
			throw new PkiException("Certificate cannot be decoded: " + ex.getMessage(), ex);
		}
	}

	private static List<Object> readObjects(String pem) {
		if (pem == null) {
			throw new PkiException("'pem' must not be null");
		}
		// Read block by block so that a type BouncyCastle has no parser for (DH
		// PARAMETERS in an HAProxy bundle, say) is skipped instead of failing the whole
		// text; a known type that does not decode is still an error.
		List<Object> objects = new ArrayList<>();
		try (PemReader reader = new PemReader(new StringReader(pem))) {
			PemObject block;
			while ((block = reader.readPemObject()) != null) {
				if (!KNOWN_TYPES.contains(block.getType())) {
					continue;
				}
				try (PEMParser parser = new PEMParser(new StringReader(writeObjects(block)))) {
					Object object = parser.readObject();
					if (object != null) {
						objects.add(object);
					}
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			throw new PkiException("Malformed PEM: a block is truncated or its content is corrupt", ex);
		}
		return objects;
	}

	private static String writeObjects(Object... objects) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			for (Object object : objects) {
				writer.writeObject(object);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

}
