package io.tether.pki.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The malformed-CSR corpus, generated in code: each method names the defect. All return
 * PEM text as a client would send it.
 */
public final class MalformedCsrs {

	private static final String BEGIN = "-----BEGIN CERTIFICATE REQUEST-----\n";

	private static final String END = "\n-----END CERTIFICATE REQUEST-----\n";

	private MalformedCsrs() {
	}

	/**
	 * A well-formed CSR whose signature does not verify: the last byte of the signature
	 * is flipped, so the DER still decodes.
	 * @param spiffeId the SPIFFE ID it asks for, or {@code null}
	 * @return the PEM
	 */
	public static String badSignature(String spiffeId) {
		byte[] der = Csr
			.create(KeyType.EC_P256.generate(), (spiffeId != null) ? SpiffeId.parse(spiffeId) : null, List.of())
			.encoded();
		der[der.length - 1] ^= 0x01;
		return pem(der);
	}

	/**
	 * A CSR cut in half: the base64 lines after the middle are missing.
	 * @return the PEM
	 */
	public static String truncated() {
		byte[] der = Csr.create(KeyType.EC_P256.generate(), null, List.of()).encoded();
		byte[] half = new byte[der.length / 2];
		System.arraycopy(der, 0, half, 0, half.length);
		return pem(half);
	}

	/**
	 * Text that is no PEM at all.
	 * @return the text
	 */
	public static String notPem() {
		return "this is not a certificate signing request";
	}

	/**
	 * A valid CSR for an RSA key of 1024 bits, which no policy should accept.
	 * @return the PEM
	 */
	public static String rsa1024() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(1024);
			KeyPair keys = generator.generateKeyPair();
			byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(""), keys.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()))
				.getEncoded();
			return pem(der);
		}
		catch (GeneralSecurityException | OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String pem(byte[] der) {
		return BEGIN + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) + END;
	}

}
