package io.tether.workload.binding;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * DPoP proofs built field by field, so that a test can make exactly one thing wrong,
 * including what a well-behaved library refuses to produce (alg none, a private jwk).
 */
public final class TestProofs {

	final ECKey key;

	public TestProofs() {
		try {
			this.key = new ECKeyGenerator(Curve.P_256).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String thumbprint() {
		try {
			return this.key.computeThumbprint("SHA-256").toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public Map<String, Object> header() {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("typ", "dpop+jwt");
		header.put("alg", "ES256");
		header.put("jwk", this.key.toPublicJWK().toJSONObject());
		return header;
	}

	public Map<String, Object> claims(String method, String uri, Instant iat, String accessToken) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("jti", java.util.UUID.randomUUID().toString());
		claims.put("htm", method);
		claims.put("htu", uri);
		claims.put("iat", iat.getEpochSecond());
		if (accessToken != null) {
			claims.put("ath", DpopProofVerifier.ath(accessToken));
		}
		return claims;
	}

	public String proof(String method, String uri, Instant iat, String accessToken) {
		return sign(header(), claims(method, uri, iat, accessToken));
	}

	/** Signs with ES256 and this key, whatever the header says. */
	public String sign(Map<String, Object> header, Map<String, Object> claims) {
		try {
			return sign(header, claims, new ECDSASigner(this.key), JWSAlgorithm.ES256);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String sign(Map<String, Object> header, Map<String, Object> claims, JWSSigner signer,
			JWSAlgorithm algorithm) {
		String input = encode(JSONObjectUtils.toJSONString(header)) + "."
				+ encode(JSONObjectUtils.toJSONString(claims));
		try {
			return input + "." + signer.sign(new JWSHeader(algorithm), input.getBytes(StandardCharsets.US_ASCII));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String unsigned(Map<String, Object> header, Map<String, Object> claims) {
		return encode(JSONObjectUtils.toJSONString(header)) + "." + encode(JSONObjectUtils.toJSONString(claims)) + ".";
	}

	private static String encode(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
