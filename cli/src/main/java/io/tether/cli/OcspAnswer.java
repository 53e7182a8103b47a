package io.tether.cli;

import java.time.Instant;

import tools.jackson.databind.node.ObjectNode;

/**
 * What the CA's OCSP responder says about one certificate, once the answer verified.
 *
 * @param serialNumber the certificate's serial number, hex
 * @param status {@code good}, {@code revoked} or {@code unknown}
 * @param revokedAt when it was revoked, or {@code null}
 * @param reason the RFC 5280 reason name when revoked, else {@code null}
 * @param thisUpdate when the responder knew the status to be correct
 * @param nextUpdate when newer information will be available, or {@code null}
 * @param responder the subject of the certificate that signed the answer
 * @param issuer the subject of the certificate's issuer
 */
record OcspAnswer(String serialNumber, String status, Instant revokedAt, String reason, Instant thisUpdate,
		Instant nextUpdate, String responder, String issuer) {

	static final String GOOD = "good";

	static final String REVOKED = "revoked";

	static final String UNKNOWN = "unknown";

	/**
	 * 0 for good, {@link ExitCode#REVOKED} or {@link ExitCode#STATUS_UNKNOWN}: a script's
	 * {@code if} needs no parsing.
	 */
	int exitCode() {
		return switch (this.status) {
			case REVOKED -> ExitCode.REVOKED;
			case UNKNOWN -> ExitCode.STATUS_UNKNOWN;
			default -> ExitCode.OK;
		};
	}

	ObjectNode json() {
		ObjectNode node = ApiClient.JSON.createObjectNode();
		node.put("serialNumber", this.serialNumber);
		node.put("status", this.status);
		if (this.revokedAt != null) {
			node.put("revokedAt", this.revokedAt.toString());
			node.put("reason", this.reason);
		}
		node.put("thisUpdate", this.thisUpdate.toString());
		node.put("nextUpdate", (this.nextUpdate != null) ? this.nextUpdate.toString() : null);
		node.put("responder", this.responder);
		node.put("issuer", this.issuer);
		node.put("verified", true);
		return node;
	}

	/**
	 * @param indent put before every label ({@code inspect} indents its sections)
	 */
	Details details(String indent, Instant now) {
		return new Details().add(indent + "serial", this.serialNumber)
			.add(indent + "status", this.status)
			.add(indent + "revoked at", this.revokedAt)
			.add(indent + "reason", this.reason)
			.add(indent + "this update", this.thisUpdate)
			.add(indent + "next update", ApiCommand.expiry(this.nextUpdate, now))
			.add(indent + "responder", this.responder + " (answer verified)")
			.add(indent + "issuer", this.issuer);
	}

}
