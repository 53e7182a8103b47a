package io.tether.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tether.pki.CertificateProfile;
import io.tether.pki.KeyType;
import io.tether.pki.Pkcs12;
import io.tether.pki.SerialNumbers;
import io.tether.server.TetherProperties;
import io.tether.server.audit.AuditLog;
import io.tether.server.authority.CertificateAuthority;
import io.tether.server.authority.CertificateAuthority.SignedCertificate;
import io.tether.server.certificate.CertificateIssuer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.stereotype.Component;

/**
 * Gives the HTTPS connector a certificate from Tether's own CA, issued at each start for
 * {@code spiffe://
 *
<td>/tether/server} with {@code localhost}, the host name and
 * {@code tether.server.dns-names}; the key lives only in memory. Client certificates are
 * requested (not required, so the bundle stays public) and verified against Tether's
 * roots.
 */
@Component
class ServerTlsCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

	private static final Logger logger = LoggerFactory.getLogger(ServerTlsCustomizer.class);

	static final String BUNDLE = "tether-server";

	private final CertificateIssuer issuer;

	private final CertificateAuthority authority;

	private final TetherProperties properties;

	private final SecureRandom random;

	ServerTlsCustomizer(CertificateIssuer issuer, CertificateAuthority authority, TetherProperties properties,
			SecureRandom random) {
		this.issuer = issuer;
		this.authority = authority;
		this.properties = properties;
		this.random = random;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		KeyPair keys = KeyType.EC_P256.generate(this.random);
		List<String> dnsNames = dnsNames();
		SignedCertificate signed = this.issuer.issue(
				new CertificateProfile.Leaf(this.properties.serverId(), dnsNames, this.properties.server().tlsTtl()),
				keys.getPublic(), AuditLog.SYSTEM);
		logger.info("Server TLS certificate {} for {}, valid until {}",
				SerialNumbers.toHex(signed.certificate().getSerialNumber()), dnsNames,
				signed.certificate().getNotAfter().toInstant());

		// the password protects an in-memory store only; it never reaches disk
		byte[] secret = new byte[16];
		this.random.nextBytes(secret);
		char[] password = HexFormat.of().formatHex(secret).toCharArray();
		// the root travels in the chain too: an agent that has only the root's
		// fingerprint
		// from its join token pins the root it is shown, then validates the chain to it
		List<X509Certificate> chain = new ArrayList<>(signed.chain());
		chain.addAll(this.authority.trustAnchors());
		KeyStore keyStore = Pkcs12.keyStore(keys.getPrivate(), chain, password);
		KeyStore trustStore = Pkcs12.trustStore(this.authority.trustAnchors());
		DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
		bundles.registerBundle(BUNDLE, SslBundle.of(SslStoreBundle.of(keyStore, new String(password), trustStore)));

		Ssl ssl = new Ssl();
		ssl.setBundle(BUNDLE);
		ssl.setClientAuth(Ssl.ClientAuth.WANT);
		factory.setSsl(ssl);
		factory.setSslBundles(bundles);
	}

	private List<String> dnsNames() {
		Set<String> names = new LinkedHashSet<>();
		names.add("localhost");
		try {
			String host = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
			if (host.matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
				names.add(host);
			}
		}
		catch (UnknownHostException ex) {
			logger.debug("Host name unknown; the server certificate names localhost only", ex);
		}
		names.addAll(this.properties.server().dnsNames());
		return new ArrayList<>(names);
	}

}
