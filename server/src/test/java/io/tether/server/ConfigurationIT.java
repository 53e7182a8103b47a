package io.tether.server;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.tether.pki.Csr;
import io.tether.pki.KeyType;
import io.tether.pki.SpiffeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.tether.server.ServerScenarios.assertProblem;
import static io.tether.server.ServerScenarios.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The server's own settings are strict: a misspelt {@code tether.*} key stops the start
 * and names the key (it would otherwise fall back to the default silently), and durations
 * take the same syntax as everywhere else in Tether.
 */
class ConfigurationIT {

	@TempDir
	Path dir;

	@Test
	void aMisspeltSettingStopsTheStartAndIsNamed() {
		assertThatException()
			.isThrownBy(() -> RunningServer.start(this.dir.resolve("typo"),
					Map.of("tether.trust-domain", "config.example", "tether.issuance.max-tll", "1h")))
			.satisfies((ex) -> assertThat(rootMessages(ex)).contains("tether.issuance.max-tll"));
	}

	@Test
	void aBadThrottleSettingStopsTheStartAndIsNamed() {
		assertThatException()
			.isThrownBy(() -> RunningServer.start(this.dir.resolve("throttle"),
					Map.of("tether.trust-domain", "config.example", "tether.throttle.join-token-failures.burst", "0")))
			.satisfies((ex) -> assertThat(rootMessages(ex)).contains("tether.throttle.join-token-failures needs"));
	}

	@Test
	void durationSettingsTakeTheShorthand() throws IOException {
		try (RunningServer server = RunningServer.start(this.dir.resolve("shorthand"),
				Map.of("tether.trust-domain", "config.example", "tether.issuance.max-ttl", "1h30m"))) {
			assertThat(issue(server, "1h20m").statusCode()).isEqualTo(201);
			assertProblem(issue(server, "1h40m"), 403, "ttl-out-of-range");
		}
	}

	private static HttpResponse<String> issue(RunningServer server, String ttl) {
		String spiffeId = "spiffe://config.example/ns/web";
		String csr = Csr.create(KeyType.EC_P256.generate(), SpiffeId.parse(spiffeId), List.of()).toPem();
		return server.postJson(server.adminClient(), "/v1/certificates",
				json.writeValueAsString(Map.of("csr", csr, "spiffeId", spiffeId, "ttl", ttl)));
	}

	private static String rootMessages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

}
