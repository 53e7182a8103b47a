package io.tether.workload.binding;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Finds the client certificate of a request. On a direct connection it is the one the
 * servlet container verified in the TLS handshake, and a {@code Client-Cert} header is
 * ignored, never trusted. On a connection from a configured TLS-terminating proxy it is
 * the certificate the proxy forwards in the header (RFC 9440, or nginx's URL-encoded PEM
 * {@code $ssl_client_escaped_cert}), and the proxy's own TLS certificate is not the
 * client's.
 * <p>
 * Thread-safe and immutable.
 */
public final class ClientCertificateResolver {

	/** How the proxy writes the certificate into the header. */
	public enum HeaderFormat {

		/** RFC 9440: the DER as a structured-field byte sequence, {@code :base64:}. */
		RFC9440,

		/**
		 * The PEM, URL-encoded, as nginx's {@code $ssl_client_escaped_cert} writes it.
		 */
		URL_ENCODED_PEM

	}

	private static final String TLS_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final TrustedProxies proxies;

	private final String header;

	private final HeaderFormat format;

	private ClientCertificateResolver(TrustedProxies proxies, String header, HeaderFormat format) {
		this.proxies = proxies;
		this.header = header;
		this.format = format;
	}

	/**
	 * A resolver that trusts only the TLS connection itself.
	 * @return the resolver
	 */
	public static ClientCertificateResolver direct() {
		return new ClientCertificateResolver(TrustedProxies.of(List.of()), "Client-Cert", HeaderFormat.RFC9440);
	}

	/**
	 * A resolver that believes the header from these proxies only.
	 * @param trustedProxies IP addresses or CIDR blocks of the proxies
	 * @param header the header name, usually {@code Client-Cert}
	 * @param format how the proxy encodes the certificate
	 * @return the resolver
	 * @throws IllegalArgumentException if an entry is not an IP address or block
	 */
	public static ClientCertificateResolver behindProxies(List<String> trustedProxies, String header,
			HeaderFormat format) {
		return new ClientCertificateResolver(TrustedProxies.of(trustedProxies),
				Objects.requireNonNull(header, "'header' must not be null"),
				Objects.requireNonNull(format, "'format' must not be null"));
	}

	/**
	 * The client certificate of this request, if there is one that may be believed.
	 * @param request the request
	 * @return the leaf certificate, or empty
	 * @throws IllegalArgumentException if a trusted proxy sent a header that is not a
	 * certificate
	 */
	public Optional<X509Certificate> resolve(HttpServletRequest request) {
		if (this.proxies.contains(request.getRemoteAddr())) {
			String value = request.getHeader(this.header);
			return (value == null || value.isBlank()) ? Optional.empty() : Optional.of(decode(value.strip()));
		}
		if (request.getAttribute(TLS_ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0) {
			return Optional.of(chain[0]);
		}
		return Optional.empty();
	}

	private X509Certificate decode(String value) {
		byte[] encoded;
		if (this.format == HeaderFormat.RFC9440) {
			if (value.length() < 2 || value.charAt(0) != ':' || value.charAt(value.length() - 1) != ':') {
				throw new IllegalArgumentException(this.header + " is not an RFC 9440 byte sequence (:base64:)");
			}
			try {
				encoded = Base64.getDecoder().decode(value.substring(1, value.length() - 1));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(this.header + " is not base64", ex);
			}
		}
		else {
			encoded = URLDecoder.decode(value, StandardCharsets.US_ASCII).getBytes(StandardCharsets.US_ASCII);
		}
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(encoded));
		}
		catch (CertificateException ex) {
			throw new IllegalArgumentException(this.header + " does not hold a certificate", ex);
		}
	}

}
