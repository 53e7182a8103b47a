package io.tether.agent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {

	@Test
	void parsesWhatTheServerAnswersAnIssuance() {
		String answer = """
				{"serialNumber":"7f3a","certificateChain":"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\\n",
				 "notAfter":"2026-11-25T10:24:48Z","dnsNames":["web.internal","localhost"],"ttlSeconds":30,
				 "revoked":false,"reason":null,"nested":{"a":[1,-2.5e3,{}],"b":[]}}
				""";
		Map<String, Object> object = Json.parseObject(answer);

		assertThat(Json.string(object, "certificateChain"))
			.isEqualTo("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
		assertThat(Json.array(object, "dnsNames")).isEqualTo(List.of("web.internal", "localhost"));
		assertThat(object.get("ttlSeconds")).isEqualTo(new BigDecimal("30"));
		assertThat(object.get("revoked")).isEqualTo(Boolean.FALSE);
		assertThat(object).containsEntry("reason", null);
		assertThat(object.get("nested"))
			.isEqualTo(Map.of("a", List.of(new BigDecimal("1"), new BigDecimal("-2.5e3"), Map.of()), "b", List.of()));
		assertThat(object.keySet()).containsExactly("serialNumber", "certificateChain", "notAfter", "dnsNames",
				"ttlSeconds", "revoked", "reason", "nested");
	}

	@Test
	void decodesEveryEscapeIncludingUnicodeAndSurrogatePairs() {
		Map<String, Object> object = Json.parseObject("{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}");

		assertThat(Json.string(object, "s")).isEqualTo("\"\\/\b\f\n\r\té\uD83D\uDE00");
	}

	@Test
	void writesWhatItReadsBack() {
		Map<String, Object> value = new LinkedHashMap<>();
		value.put("csr", "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n");
		value.put("quote", "say \"hi\" \\ \u0001 \t");
		value.put("when", Instant.parse("2026-11-25T10:00:00Z"));
		value.put("count", 3);
		value.put("none", null);
		value.put("list", Arrays.asList("a", null, true));
		value.put("empty", Map.of());

		for (boolean pretty : new boolean[] { false, true }) {
			Map<String, Object> read = Json.parseObject(Json.write(value, pretty));
			assertThat(read.get("csr")).isEqualTo(value.get("csr"));
			assertThat(read.get("quote")).isEqualTo(value.get("quote"));
			assertThat(read.get("when")).isEqualTo("2026-11-25T10:00:00Z");
			assertThat(read.get("count")).isEqualTo(new BigDecimal(3));
			assertThat(read).containsEntry("none", null);
			assertThat(read.get("list")).isEqualTo(Arrays.asList("a", null, true));
			assertThat(read.get("empty")).isEqualTo(Map.of());
		}
		assertThat(Json.write(Map.of("a", List.of(1)), false)).isEqualTo("{\"a\":[1]}");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "[]", "\"text\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1 \"b\":2}",
			"{\"a\":[1,]}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":tru}", "{\"a\":nul}",
			"{\"a\":\"x}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\uzzzz\"}", "{\"a\":\"tab\there\"}",
			"{a:1}", "{'a':1}", "{\"a\":1}{", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "{\"a\":NaN}", "{\"a\":1e}",
			"{\"a\":1e99999999999}", "{\"a\":0.1e-2147483648}", "{\"a\":\"\\u+041\"}", "{\"a\":\"\\u-041\"}",
			"{\"a\":\"\\u\uff10\uff10\uff14\uff11\"}", "{\"a\":\"\\u00G1\"}" })
	void refusesWhatIsNotOneJsonObject(String text) {
		assertThatThrownBy(() -> Json.parseObject(text)).isInstanceOf(Json.JsonException.class)
			.hasMessageContaining("at offset");
	}

	@Test
	void refusesANumberLongerThanAnyTheServerSends() {
		String longNumber = "{\"a\":" + "9".repeat(100_000) + "}";

		assertThatThrownBy(() -> Json.parseObject(longNumber)).isInstanceOf(Json.JsonException.class)
			.hasMessageContaining("number longer than");
	}

	@Test
	void refusesNestingDeeperThanAnyAnswerOfTheServer() {
		String deep = "{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}";

		assertThatThrownBy(() -> Json.parseObject(deep)).isInstanceOf(Json.JsonException.class)
			.hasMessageContaining("nested deeper than");
	}

	@Test
	void namesTheMemberThatIsMissingOrOfTheWrongType() {
		Map<String, Object> object = Json.parseObject("{\"bundle\":1,\"entries\":\"x\"}");

		assertThatThrownBy(() -> Json.string(object, "certificateChain")).hasMessage("'certificateChain' is missing");
		assertThatThrownBy(() -> Json.string(object, "bundle")).hasMessage("'bundle' is not a string");
		assertThatThrownBy(() -> Json.array(object, "entries")).hasMessage("'entries' is not an array");
	}

}
