package io.tether.server.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tether.api.CertificateStatus;
import io.tether.api.CertificateView;
import io.tether.api.Status;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Request bodies are read strictly: a member given twice, a member the endpoint does not
 * know (a typo such as {@code tll} would otherwise fall back to the default), trailing
 * content, a number or boolean where a string belongs, and control characters inside a
 * string are each refused with a 400 instead of being guessed at.
 */
@Configuration(proxyBeanMethods = false)
class StrictJsonConfiguration {

	/**
	 * How a refused control character is reported; {@link JsonBodyErrors} names the
	 * member.
	 */
	static final String CONTROL_CHARACTER = "holds the control character";

	@Bean
	JsonMapperBuilderCustomizer strictRequestBodies() {
		return (builder) -> builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
					DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.addModule(new SimpleModule("tether-strict-strings").addDeserializer(String.class, new StrictStrings()))
			// members that do not apply are left out, as docs/api.md describes these
			.addMixIn(CertificateStatus.class, NonNullMembers.class)
			.addMixIn(Status.class, NonNullMembers.class)
			.addMixIn(CertificateView.class, NonNullMembers.class);
	}

	@JsonInclude(JsonInclude.Include.NON_NULL)
	interface NonNullMembers {

	}

	/**
	 * Only a JSON string becomes a {@code String}, and only if it holds no control
	 * character other than tab, line feed and carriage return: PostgreSQL cannot store a
	 * NUL, and no field of the API has a use for one.
	 */
	static final class StrictStrings extends StdScalarDeserializer<String> {

		StrictStrings() {
			super(String.class);
		}

		@Override
		public String deserialize(JsonParser parser, DeserializationContext context) throws JacksonException {
			if (!parser.hasToken(JsonToken.VALUE_STRING)) {
				return (String) context.handleUnexpectedToken(String.class, parser);
			}
			String value = parser.getString();
			for (int i = 0; i < value.length(); i++) {
				char c = value.charAt(i);
				if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
					return context.reportInputMismatch(this,
							CONTROL_CHARACTER + " U+%04X at offset %d; no field takes control characters", (int) c, i);
				}
			}
			return value;
		}

	}

}
