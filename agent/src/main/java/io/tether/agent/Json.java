package io.tether.agent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the agent exchanges with the server and keeps in {@code status.json}: RFC 8259
 * text to and from {@code Map} (members in order), {@code List}, {@code String},
 * {@code BigDecimal}, {@code Boolean} and {@code null}.
 * <p>
 * The agent's own small codec rather than a general data-binding library: a few hundred
 * classes fewer stay loaded for the life of the daemon (see docs/agent.md, memory).
 */
final class Json {

	private static final int MAX_DEPTH = 32;

	/**
	 * Far longer than any number the server sends; a longer one is refused before
	 * parsing.
	 */
	private static final int MAX_NUMBER_LENGTH = 64;

	private final String text;

	private int position;

	private Json(String text) {
		this.text = text;
	}

	/**
	 * Parses a JSON object.
	 * @throws JsonException if the text is not one JSON object, with where it went wrong
	 */
	static Map<String, Object> parseObject(String text) {
		Json parser = new Json(text);
		parser.skipWhitespace();
		if (!parser.peek('{')) {
			throw parser.error("expected an object");
		}
		Object value = parser.value(0);
		parser.skipWhitespace();
		if (parser.position != text.length()) {
			throw parser.error("unexpected text after the object");
		}
		@SuppressWarnings("unchecked")
		Map<String, Object> object = (Map<String, Object>) value;
		return object;
	}

	/**
	 * A member that must be a string.
	 * @throws JsonException if it is absent or not a string
	 */
	static String string(Map<?, ?> object, String name) {
		if (object.get(name) instanceof String value) {
			return value;
		}
		throw new JsonException("'" + name + "' is " + (object.containsKey(name) ? "not a string" : "missing"));
	}

	/**
	 * A member that must be an array.
	 * @throws JsonException if it is absent or not an array
	 */
	static List<?> array(Map<?, ?> object, String name) {
		if (object.get(name) instanceof List<?> value) {
			return value;
		}
		throw new JsonException("'" + name + "' is " + (object.containsKey(name) ? "not an array" : "missing"));
	}

	/**
	 * Writes a value (maps, lists, strings, numbers, booleans, {@code Instant}s as their
	 * ISO-8601 string, {@code null}) as JSON, indented when {@code pretty}.
	 */
	static String write(Object value, boolean pretty) {
		StringBuilder out = new StringBuilder();
		write(out, value, pretty, 0);
		return out.toString();
	}

	private static void write(StringBuilder out, Object value, boolean pretty, int depth) {
		switch (value) {
			case null -> out.append("null");
			case String string -> quote(out, string);
			case Instant instant -> quote(out, instant.toString());
			case Boolean bool -> out.append(bool);
			case Integer number -> out.append(number);
			case Long number -> out.append(number);
			case BigDecimal number -> out.append(number.toString());
			case Map<?, ?> map -> {
				out.append('{');
				boolean first = true;
				for (Map.Entry<?, ?> member : map.entrySet()) {
					out.append(first ? "" : ",");
					newline(out, pretty, depth + 1);
					quote(out, String.valueOf(member.getKey()));
					out.append(pretty ? " : " : ":");
					write(out, member.getValue(), pretty, depth + 1);
					first = false;
				}
				if (!first) {
					newline(out, pretty, depth);
				}
				out.append('}');
			}
			case List<?> list -> {
				out.append('[');
				boolean first = true;
				for (Object element : list) {
					out.append(first ? "" : ",");
					newline(out, pretty, depth + 1);
					write(out, element, pretty, depth + 1);
					first = false;
				}
				if (!first) {
					newline(out, pretty, depth);
				}
				out.append(']');
			}
			default -> throw new IllegalArgumentException("cannot write " + value.getClass().getName() + " as JSON");
		}
	}

	private static void newline(StringBuilder out, boolean pretty, int depth) {
		if (pretty) {
			out.append('\n').append("  ".repeat(depth));
		}
	}

	private static void quote(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						String hex = Integer.toHexString(c);
						out.append("\\u").append("0".repeat(4 - hex.length())).append(hex);
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	private Object value(int depth) {
		if (depth > MAX_DEPTH) {
			throw error("nested deeper than " + MAX_DEPTH);
		}
		skipWhitespace();
		if (this.position >= this.text.length()) {
			throw error("unexpected end");
		}
		char c = this.text.charAt(this.position);
		return switch (c) {
			case '{' -> object(depth);
			case '[' -> array(depth);
			case '"' -> string();
			case 't' -> literal("true", Boolean.TRUE);
			case 'f' -> literal("false", Boolean.FALSE);
			case 'n' -> literal("null", null);
			default -> {
				if (c == '-' || (c >= '0' && c <= '9')) {
					yield number();
				}
				throw error("unexpected character '" + c + "'");
			}
		};
	}

	private Map<String, Object> object(int depth) {
		this.position++;
		Map<String, Object> object = new LinkedHashMap<>();
		skipWhitespace();
		if (consume('}')) {
			return object;
		}
		do {
			skipWhitespace();
			if (!peek('"')) {
				throw error("expected a member name");
			}
			String name = string();
			skipWhitespace();
			if (!consume(':')) {
				throw error("expected ':'");
			}
			if (object.containsKey(name)) {
				throw error("duplicate member '" + name + "'");
			}
			object.put(name, value(depth + 1));
			skipWhitespace();
		}
		while (consume(','));
		if (!consume('}')) {
			throw error("expected ',' or '}'");
		}
		return object;
	}

	private List<Object> array(int depth) {
		this.position++;
		List<Object> array = new ArrayList<>();
		skipWhitespace();
		if (consume(']')) {
			return array;
		}
		do {
			array.add(value(depth + 1));
			skipWhitespace();
		}
		while (consume(','));
		if (!consume(']')) {
			throw error("expected ',' or ']'");
		}
		return array;
	}

	private String string() {
		this.position++;
		StringBuilder out = new StringBuilder();
		while (true) {
			if (this.position >= this.text.length()) {
				throw error("unterminated string");
			}
			char c = this.text.charAt(this.position++);
			if (c == '"') {
				return out.toString();
			}
			if (c < 0x20) {
				throw error("control character in a string");
			}
			if (c != '\\') {
				out.append(c);
				continue;
			}
			if (this.position >= this.text.length()) {
				throw error("unterminated string");
			}
			char escaped = this.text.charAt(this.position++);
			switch (escaped) {
				case '"', '\\', '/' -> out.append(escaped);
				case 'b' -> out.append('\b');
				case 'f' -> out.append('\f');
				case 'n' -> out.append('\n');
				case 'r' -> out.append('\r');
				case 't' -> out.append('\t');
				case 'u' -> {
					if (this.position + 4 > this.text.length()) {
						throw error("truncated \\u escape");
					}
					int code = 0;
					for (int i = 0; i < 4; i++) {
						int digit = Character.digit(this.text.charAt(this.position + i), 16);
						if (digit < 0 || this.text.charAt(this.position + i) > 'f') {
							throw error("bad \\u escape");
						}
						code = code * 16 + digit;
					}
					out.append((char) code);
					this.position += 4;
				}
				default -> throw error("bad escape '\\" + escaped + "'");
			}
		}
	}

	private BigDecimal number() {
		int start = this.position;
		consume('-');
		if (!consume('0')) {
			digits();
		}
		if (consume('.')) {
			digits();
		}
		if (consume('e') || consume('E')) {
			if (!consume('+')) {
				consume('-');
			}
			digits();
		}
		if (this.position - start > MAX_NUMBER_LENGTH) {
			throw error("number longer than " + MAX_NUMBER_LENGTH + " characters");
		}
		try {
			return new BigDecimal(this.text.substring(start, this.position));
		}
		catch (NumberFormatException ex) {
			throw error("number out of range");
		}
	}

	private void digits() {
		int start = this.position;
		while (this.position < this.text.length() && this.text.charAt(this.position) >= '0'
				&& this.text.charAt(this.position) <= '9') {
			this.position++;
		}
		if (this.position == start) {
			throw error("expected a digit");
		}
	}

	private Object literal(String word, Object value) {
		if (!this.text.startsWith(word, this.position)) {
			throw error("unexpected word");
		}
		this.position += word.length();
		return value;
	}

	private void skipWhitespace() {
		while (this.position < this.text.length()) {
			char c = this.text.charAt(this.position);
			if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
				return;
			}
			this.position++;
		}
	}

	private boolean peek(char c) {
		return this.position < this.text.length() && this.text.charAt(this.position) == c;
	}

	private boolean consume(char c) {
		if (peek(c)) {
			this.position++;
			return true;
		}
		return false;
	}

	private JsonException error(String message) {
		return new JsonException(message + " at offset " + this.position);
	}

	/**
	 * Text that is not the JSON expected.
	 */
	static final class JsonException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		JsonException(String message) {
			super(message);
		}

	}

}
