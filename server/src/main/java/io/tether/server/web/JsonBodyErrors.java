package io.tether.server.web;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says what is wrong with a request body in the API's terms (which member, what it must
 * be), never in Java's: no class names, no parser internals.
 */
final class JsonBodyErrors {

	private JsonBodyErrors() {
	}

	static String detail(Throwable cause) {
		if (!(cause instanceof JacksonException jackson)) {
			return "The request body is not valid JSON of the expected shape";
		}
		String member = member(jackson);
		if (jackson instanceof UnrecognizedPropertyException unknown) {
			return "Unknown member '" + member + "'; this request takes " + names(unknown.getKnownPropertyIds());
		}
		if (jackson instanceof MismatchedInputException mismatch) {
			String original = String.valueOf(mismatch.getOriginalMessage());
			if (original.startsWith(StrictJsonConfiguration.CONTROL_CHARACTER)) {
				return "'" + member + "' " + original;
			}
			if (member.isEmpty()) {
				return "The request body must be a JSON object";
			}
			return "'" + member + "' must be " + shape(mismatch.getTargetType());
		}
		if (jackson instanceof StreamConstraintsException) {
			return "The request body exceeds a JSON limit (nesting depth, number or string length)";
		}
		String original = String.valueOf(jackson.getOriginalMessage()).lines().findFirst().orElse("");
		if (original.contains("`") || original.contains("Constraints")) {
			// a hint that names Java types or settings: of no use to a client
			return "The request body is not valid JSON";
		}
		return "The request body is not valid JSON: " + original;
	}

	/**
	 * The path to the offending member, as a client would write it: {@code dnsNames[2]}.
	 */
	private static String member(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String shape(Class<?> type) {
		if (type == null) {
			return "of another type";
		}
		if (CharSequence.class.isAssignableFrom(type)) {
			return "a string";
		}
		if (Collection.class.isAssignableFrom(type) || type.isArray()) {
			return "an array";
		}
		if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
			return "a number";
		}
		if (type == Boolean.class || type == boolean.class) {
			return "true or false";
		}
		if (Map.class.isAssignableFrom(type) || type.isRecord()) {
			return "an object";
		}
		return "of another type";
	}

	private static String names(Collection<Object> known) {
		return (known == null || known.isEmpty()) ? "no members"
				: String.join(", ", new TreeSet<>(known.stream().map(String::valueOf).toList()));
	}

}
