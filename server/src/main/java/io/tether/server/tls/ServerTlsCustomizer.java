package io.tether.server.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.tether.server.TetherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.web.server.ConfigurableWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.stereotype.Component;

/**
 * Gives the HTTPS connector a certificate from Tether's own CA
 * ({@link ServerTlsCredentials}: the server's SPIFFE ID under {@code /tether/server},
 * with {@code localhost}, the host name and {@code tether.server.dns-names}; the key
 * lives only in memory, and the certificate renews in place at half its life). Client
 * certificates are requested (not required, so the bundle stays public) and verified
 * against Tether's roots. The operator's {@code server.ssl.enabled-protocols} and
 * {@code server.ssl.ciphers} hold; application.yaml defaults them to TLS 1.3 and TLS 1.2
 * with AEAD suites only.
 */
@Component
class ServerTlsCustomizer implements WebServerFactoryCustomizer<ConfigurableWebServerFactory> {

	private static final Logger logger = LoggerFactory.getLogger(ServerTlsCustomizer.class);

	private final ServerTlsCredentials credentials;

	private final TetherProperties properties;

	private final ServerProperties server;

	ServerTlsCustomizer(ServerTlsCredentials credentials, TetherProperties properties, ServerProperties server) {
		this.credentials = credentials;
		this.properties = properties;
		this.server = server;
	}

	@Override
	public void customize(ConfigurableWebServerFactory factory) {
		Ssl configured = (this.server.getSsl() != null) ? this.server.getSsl() : new Ssl();
		Ssl ssl = new Ssl();
		ssl.setBundle(ServerTlsCredentials.BUNDLE);
		ssl.setClientAuth(Ssl.ClientAuth.WANT);
		factory.setSsl(ssl);
		factory.setSslBundles(this.credentials.bundles(dnsNames(),
				SslOptions.of(configured.getCiphers(), configured.getEnabledProtocols())));
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
