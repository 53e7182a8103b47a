package io.tether.pki;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.Principal;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Set;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.cert.X509CertificateHolder;

/**
 * A certificate {@link CertificateSigner} has just signed. Issuing a leaf, the server
 * reads only the serial number, the validity and the encoding, all known from the signed
 * structure; parsing the DER again into the JDK's certificate cost about as much as
 * building it. So those four come from the structure, and the JDK's certificate is parsed
 * from the DER only when another part is first asked for.
 * <p>
 * Equal to, and with the same hash code as, any certificate with the same encoding (see
 * {@link java.security.cert.Certificate#equals}); serialized as the JDK's own
 * certificate. Thread-safe: immutable apart from the parsed certificate, which is
 * published through a volatile field and is the same whichever thread parses it.
 */
final class SignedX509Certificate extends X509Certificate {

	private static final long serialVersionUID = 1L;

	private final byte[] encoded;

	private final BigInteger serialNumber;

	private final Date notBefore;

	private final Date notAfter;

	private transient volatile X509Certificate parsed;

	SignedX509Certificate(X509CertificateHolder holder) {
		try {
			this.encoded = holder.getEncoded();
		}
		catch (java.io.IOException ex) {
			throw new PkiException("Certificate cannot be encoded: " + ex.getMessage(), ex);
		}
		this.serialNumber = holder.getSerialNumber();
		this.notBefore = holder.getNotBefore();
		this.notAfter = holder.getNotAfter();
	}

	private X509Certificate parsed() {
		X509Certificate certificate = this.parsed;
		if (certificate == null) {
			try {
				certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
					.generateCertificate(new ByteArrayInputStream(this.encoded));
			}
			catch (CertificateException ex) {
				throw new PkiException("Certificate cannot be decoded: " + ex.getMessage(), ex);
			}
			this.parsed = certificate;
		}
		return certificate;
	}

	@Override
	public byte[] getEncoded() {
		return this.encoded.clone();
	}

	@Override
	public BigInteger getSerialNumber() {
		return this.serialNumber;
	}

	@Override
	public Date getNotBefore() {
		return (Date) this.notBefore.clone();
	}

	@Override
	public Date getNotAfter() {
		return (Date) this.notAfter.clone();
	}

	@Override
	public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
		parsed().checkValidity();
	}

	@Override
	public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
		parsed().checkValidity(date);
	}

	@Override
	public int getVersion() {
		return parsed().getVersion();
	}

	@Override
	@Deprecated
	@SuppressWarnings("deprecation")
	public Principal getIssuerDN() {
		return parsed().getIssuerDN();
	}

	@Override
	public X500Principal getIssuerX500Principal() {
		return parsed().getIssuerX500Principal();
	}

	@Override
	@Deprecated
	@SuppressWarnings("deprecation")
	public Principal getSubjectDN() {
		return parsed().getSubjectDN();
	}

	@Override
	public X500Principal getSubjectX500Principal() {
		return parsed().getSubjectX500Principal();
	}

	@Override
	public byte[] getTBSCertificate() throws CertificateEncodingException {
		return parsed().getTBSCertificate();
	}

	@Override
	public byte[] getSignature() {
		return parsed().getSignature();
	}

	@Override
	public String getSigAlgName() {
		return parsed().getSigAlgName();
	}

	@Override
	public String getSigAlgOID() {
		return parsed().getSigAlgOID();
	}

	@Override
	public byte[] getSigAlgParams() {
		return parsed().getSigAlgParams();
	}

	@Override
	public boolean[] getIssuerUniqueID() {
		return parsed().getIssuerUniqueID();
	}

	@Override
	public boolean[] getSubjectUniqueID() {
		return parsed().getSubjectUniqueID();
	}

	@Override
	public boolean[] getKeyUsage() {
		return parsed().getKeyUsage();
	}

	@Override
	public List<String> getExtendedKeyUsage() throws CertificateParsingException {
		return parsed().getExtendedKeyUsage();
	}

	@Override
	public int getBasicConstraints() {
		return parsed().getBasicConstraints();
	}

	@Override
	public Collection<List<?>> getSubjectAlternativeNames() throws CertificateParsingException {
		return parsed().getSubjectAlternativeNames();
	}

	@Override
	public Collection<List<?>> getIssuerAlternativeNames() throws CertificateParsingException {
		return parsed().getIssuerAlternativeNames();
	}

	@Override
	public boolean hasUnsupportedCriticalExtension() {
		return parsed().hasUnsupportedCriticalExtension();
	}

	@Override
	public Set<String> getCriticalExtensionOIDs() {
		return parsed().getCriticalExtensionOIDs();
	}

	@Override
	public Set<String> getNonCriticalExtensionOIDs() {
		return parsed().getNonCriticalExtensionOIDs();
	}

	@Override
	public byte[] getExtensionValue(String oid) {
		return parsed().getExtensionValue(oid);
	}

	@Override
	public PublicKey getPublicKey() {
		return parsed().getPublicKey();
	}

	@Override
	public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException, InvalidKeyException,
			NoSuchProviderException, SignatureException {
		parsed().verify(key);
	}

	@Override
	public void verify(PublicKey key, String sigProvider) throws CertificateException, NoSuchAlgorithmException,
			InvalidKeyException, NoSuchProviderException, SignatureException {
		parsed().verify(key, sigProvider);
	}

	@Override
	public void verify(PublicKey key, Provider sigProvider)
			throws CertificateException, NoSuchAlgorithmException, InvalidKeyException, SignatureException {
		parsed().verify(key, sigProvider);
	}

	@Override
	public String toString() {
		return parsed().toString();
	}

}
