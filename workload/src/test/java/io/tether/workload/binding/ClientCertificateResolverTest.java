package io.tether.workload.binding;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.tether.pki.Pem;
import io.tether.pki.testing.TestPki;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientCertificateResolverTest {

	private final TestPki pki = TestPki.root().intermediate();

	private final X509Certificate client = this.pki.leaf("spiffe://example.org/ns/web").certificate();

	private final X509Certificate proxy = this.pki.leaf("spiffe://example.org/ns/proxy").certificate();

	private final ClientCertificateResolver behindProxy = ClientCertificateResolver.behindProxies(
			List.of("10.1.2.3", "192.168.0.0/16", "::1"), "Client-Cert",
			ClientCertificateResolver.HeaderFormat.RFC9440);

	private String rfc9440(X509Certificate certificate) throws Exception {
		return ":" + Base64.getEncoder().encodeToString(certificate.getEncoded()) + ":";
	}

	@Test
	void directConnectionUsesTheTlsCertificateAndIgnoresTheHeader() throws Exception {
		var request = TestRequests.request("203.0.113.9", Map.of("Client-Cert", rfc9440(this.proxy)),
				Map.of(TestRequests.TLS, new X509Certificate[] { this.client }));
		assertThat(this.behindProxy.resolve(request)).contains(this.client);
	}

	@Test
	void headerSentDirectlyByAClientIsIgnored() throws Exception {
		var request = TestRequests.request("203.0.113.9", Map.of("Client-Cert", rfc9440(this.client)), Map.of());
		assertThat(this.behindProxy.resolve(request)).isEmpty();
		assertThat(ClientCertificateResolver.direct().resolve(request)).isEmpty();
	}

	@Test
	void trustedProxysHeaderIsTheClientCertificateNotTheProxysOwn() throws Exception {
		var exact = TestRequests.request("10.1.2.3", Map.of("client-cert", rfc9440(this.client)),
				Map.of(TestRequests.TLS, new X509Certificate[] { this.proxy }));
		assertThat(this.behindProxy.resolve(exact)).contains(this.client);
		var inBlock = TestRequests.request("192.168.44.5", Map.of("Client-Cert", rfc9440(this.client)), Map.of());
		assertThat(this.behindProxy.resolve(inBlock)).contains(this.client);
		var ipv6 = TestRequests.request("0:0:0:0:0:0:0:1", Map.of("Client-Cert", rfc9440(this.client)), Map.of());
		assertThat(this.behindProxy.resolve(ipv6)).contains(this.client);
	}

	@Test
	void trustedProxyWithoutHeaderMeansNoClientCertificate() {
		var request = TestRequests.request("10.1.2.3", Map.of(),
				Map.of(TestRequests.TLS, new X509Certificate[] { this.proxy }));
		assertThat(this.behindProxy.resolve(request)).isEmpty();
	}

	@Test
	void urlEncodedPemFromNginxIsDecoded() {
		ClientCertificateResolver nginx = ClientCertificateResolver.behindProxies(List.of("127.0.0.1"), "X-Client-Cert",
				ClientCertificateResolver.HeaderFormat.URL_ENCODED_PEM);
		String escaped = URLEncoder.encode(Pem.write(this.client), StandardCharsets.US_ASCII).replace("+", "%20");
		var request = TestRequests.request("127.0.0.1", Map.of("X-Client-Cert", escaped), Map.of());
		assertThat(nginx.resolve(request)).contains(this.client);
	}

	@Test
	void malformedHeaderFromTrustedProxyIsAnError() {
		var request = TestRequests.request("10.1.2.3", Map.of("Client-Cert", "not-a-certificate"), Map.of());
		assertThatIllegalArgumentException().isThrownBy(() -> this.behindProxy.resolve(request))
			.withMessageContaining("RFC 9440");
	}

	@Test
	void hostNamesAndBadPrefixesAreNotTrustedProxies() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClientCertificateResolver.behindProxies(List.of("proxy.internal"), "Client-Cert",
					ClientCertificateResolver.HeaderFormat.RFC9440))
			.withMessageContaining("must be an IP address, not a host name");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClientCertificateResolver.behindProxies(List.of("10.0.0.0/33"), "Client-Cert",
					ClientCertificateResolver.HeaderFormat.RFC9440))
			.withMessageContaining("prefix must be 0 to 32");
	}

}
