package io.tether.server.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.security.auth.x500.X500Principal;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the request fields that {@link RequestFields} decodes on its own, beyond the PKI
 * parsers it wraps (fuzzed in {@code pki}): each input is either accepted or refused with
 * an {@link ApiException} of a 4xx problem type, never anything that would become a 500.
 * Seeds are in
 * {@code src/test/resources/io/tether/server/web/RequestFieldsFuzzTestInputs/}.
 */
class RequestFieldsFuzzTest {

	private static final Duration DEFAULT_TTL = Duration.ofHours(1);

	@FuzzTest
	void ttl(byte[] input) {
		String value = new String(input, StandardCharsets.UTF_8);
		Duration ttl;
		try {
			ttl = RequestFields.ttl(value, DEFAULT_TTL);
		}
		catch (ApiException ex) {
			RequestBodiesFuzzTest.assertClientError(ex);
			return;
		}
		assertThat(ttl).isPositive();
		try {
			assertThat(RequestFields.duration("window", value)).isEqualTo(ttl)
				.isLessThanOrEqualTo(RequestFields.MAX_WINDOW);
		}
		catch (ApiException ex) {
			RequestBodiesFuzzTest.assertClientError(ex);
			assertThat(ttl).isGreaterThan(RequestFields.MAX_WINDOW);
		}
	}

	@FuzzTest
	void subject(byte[] input) {
		X500Principal subject;
		try {
			subject = RequestFields.subject(new String(input, StandardCharsets.UTF_8));
		}
		catch (ApiException ex) {
			RequestBodiesFuzzTest.assertClientError(ex);
			return;
		}
		// what the entry stores and the signer puts in the certificate
		assertThat(RequestFields.subject(subject.getName())).isEqualTo(subject);
	}

	@FuzzTest
	void certificate(byte[] input) {
		try {
			assertThat(
					RequestFields.certificate("certificate", new String(input, StandardCharsets.UTF_8)).getPublicKey())
				.isNotNull();
		}
		catch (ApiException ex) {
			RequestBodiesFuzzTest.assertClientError(ex);
		}
	}

}
