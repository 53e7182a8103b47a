package io.tether.server.revocation;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.tether.api.ProblemType;
import io.tether.server.web.Problems;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;

/**
 * The public revocation endpoints, outside Spring MVC (they are the hot path of every
 * relying party that checks, and need none of it):
 * <ul>
 * <li>{@code GET /crl/<key id>.crl}: an authority's current CRL, DER
 * ({@code application/pkix-crl}), with its CRL number as ETag;</li>
 * <li>{@code POST /ocsp} ({@code application/ocsp-request}) and
 * {@code GET /ocsp/<base64 of the request, URL-encoded>}: the OCSP responder
 * ({@code application/ocsp-response}).</li>
 * </ul>
 * Errors outside the OCSP protocol are problem documents.
 */
class RevocationServlet extends HttpServlet {

	static final String CRL = "application/pkix-crl";

	static final String OCSP_REQUEST = "application/ocsp-request";

	static final String OCSP_RESPONSE = "application/ocsp-response";

	/** Far above any real request (one question is about 100 bytes). */
	static final int MAX_REQUEST = 16 * 1024;

	private static final long serialVersionUID = 1L;

	private final transient CrlPublisher crls;

	private final transient OcspResponder responder;

	RevocationServlet(CrlPublisher crls, OcspResponder responder) {
		this.crls = crls;
		this.responder = responder;
	}

	@Override
	protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith("/crl/")) {
			crl(path.substring("/crl/".length()), request, response);
		}
		else if (path.startsWith("/ocsp/")) {
			ocspGet(path.substring("/ocsp/".length()), response);
		}
		else if (path.equals("/ocsp")) {
			Problems.write(response, ProblemType.BAD_REQUEST,
					"Send the OCSP request with POST (application/ocsp-request), or as GET /ocsp/<base64 of it>");
		}
		else {
			Problems.write(response, ProblemType.NOT_FOUND, "CRLs are at /crl/<key id>.crl");
		}
	}

	@Override
	protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.equals("/ocsp") && !path.equals("/ocsp/")) {
			Problems.write(response, ProblemType.METHOD_NOT_ALLOWED, "Only the OCSP responder (/ocsp) takes POST");
			return;
		}
		String type = request.getContentType();
		if (type == null || !MediaType.parseMediaType(type).isCompatibleWith(MediaType.valueOf(OCSP_REQUEST))) {
			Problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"The OCSP responder takes " + OCSP_REQUEST + " (a DER OCSPRequest)");
			return;
		}
		byte[] body;
		try (InputStream in = request.getInputStream()) {
			body = in.readNBytes(MAX_REQUEST + 1);
		}
		if (body.length > MAX_REQUEST) {
			Problems.write(response, ProblemType.PAYLOAD_TOO_LARGE,
					"OCSP requests are limited to " + MAX_REQUEST + " bytes");
			return;
		}
		writeOcsp(response, this.responder.respond(body));
	}

	/**
	 * GET, HEAD and POST go to their handlers; every other method, PATCH and made-up ones
	 * included (which {@link HttpServlet} would answer 501), is a 405.
	 */
	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response)
			throws ServletException, IOException {
		switch (request.getMethod()) {
			case "GET", "HEAD", "POST" -> super.service(request, response);
			default -> {
				response.setHeader("Allow", "GET, HEAD, POST");
				Problems.write(response, ProblemType.METHOD_NOT_ALLOWED,
						"CRLs take GET; the OCSP responder takes GET and POST");
			}
		}
	}

	private void crl(String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!name.matches("[0-9a-f]{2,128}\\.crl")) {
			Problems.write(response, ProblemType.NOT_FOUND,
					"CRLs are at /crl/<key id>.crl, the key id being the issuing CA's subject key identifier in "
							+ "lowercase hex (see GET /v1/ca)");
			return;
		}
		String keyId = name.substring(0, name.length() - ".crl".length());
		PublishedCrl crl = this.crls.find(keyId).orElse(null);
		if (crl == null) {
			Problems.write(response, ProblemType.NOT_FOUND, "No CA with key id " + keyId + " publishes a CRL here");
			return;
		}
		String tag = "\"" + crl.number() + "\"";
		response.setHeader("ETag", tag);
		response.setHeader("Cache-Control", "no-cache");
		response.setDateHeader("Last-Modified", crl.thisUpdate().toEpochMilli());
		if (tag.equals(request.getHeader("If-None-Match"))) {
			response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
			return;
		}
		response.setContentType(CRL);
		response.setContentLength(crl.der().length);
		response.getOutputStream().write(crl.der());
	}

	private void ocspGet(String encoded, HttpServletResponse response) throws IOException {
		byte[] der;
		try {
			String base64 = URLDecoder.decode(encoded, StandardCharsets.US_ASCII);
			der = (base64.indexOf('-') >= 0 || base64.indexOf('_') >= 0) ? Base64.getUrlDecoder().decode(base64)
					: Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			Problems.write(response, ProblemType.BAD_REQUEST,
					"GET /ocsp/ takes the base64 of a DER OCSP request, URL-encoded: " + ex.getMessage());
			return;
		}
		if (der.length > MAX_REQUEST) {
			Problems.write(response, ProblemType.PAYLOAD_TOO_LARGE,
					"OCSP requests are limited to " + MAX_REQUEST + " bytes");
			return;
		}
		writeOcsp(response, this.responder.respond(der));
	}

	/**
	 * Relying parties cache an answer until its nextUpdate if they like; HTTP caches in
	 * between must not, or they would hide a revocation the responder already knows.
	 */
	private static void writeOcsp(HttpServletResponse response, byte[] der) throws IOException {
		response.setContentType(OCSP_RESPONSE);
		response.setContentLength(der.length);
		response.setHeader("Cache-Control", "no-cache");
		response.getOutputStream().write(der);
	}

}
