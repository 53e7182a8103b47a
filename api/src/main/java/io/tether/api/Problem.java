package io.tether.api;

import java.util.Optional;

/**
 * An error answer (RFC 9457 {@code application/problem+json}).
 *
 * @param type {@code urn:tether:problem:<slug>}: see {@link ProblemType}
 * @param title a short human title of the type
 * @param status the HTTP status; advisory (RFC 9457), so possibly absent
 * @param detail what went wrong with this request, for a person
 * @param instance the request path
 */
public record Problem(String type, String title, Integer status, String detail, String instance) {

	/**
	 * This problem's type, when it is one of Tether's.
	 * @return the type, or empty
	 */
	public Optional<ProblemType> problemType() {
		return ProblemType.fromUri(this.type);
	}

}
