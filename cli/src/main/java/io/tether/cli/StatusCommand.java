package io.tether.cli;

import java.time.Instant;

import picocli.CommandLine.Command;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "status", mixinStandardHelpOptions = true,
		description = "Is the server reachable; its CA hierarchy, counts and the soonest expiry.",
		footer = { "", "Example:", "  tether status", "  tether status -o json | jq .counts" })
class StatusCommand extends ApiCommand {

	@Override
	int run(ApiClient api) {
		OutputFormat format = tableOrJson();
		long started = System.nanoTime();
		JsonNode status = api.get("/v1/status");
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (format == OutputFormat.JSON) {
			ObjectNode json = ApiClient.JSON.createObjectNode();
			json.put("server", api.server().toString());
			json.setAll((ObjectNode) status);
			printJson(json);
			return ExitCode.OK;
		}
		Instant now = instant(status, "serverTime");
		Details details = new Details().add("server", api.server() + " (reachable, " + millis + " ms)")
			.add("trust domain", text(status, "trustDomain"));
		for (JsonNode authority : status.path("authorities")) {
			details.add(text(authority, "kind"), text(authority, "subject") + ", expires "
					+ expiry(authority, "notAfter", now) + ", SHA-256 " + text(authority, "sha256"));
		}
		JsonNode counts = status.path("counts");
		details.add("agents", counts.path("activeAgents").asLong() + " active of " + counts.path("agents").asLong())
			.add("entries", counts.path("entries").asLong())
			.add("certificates", counts.path("validCertificates").asLong() + " valid");
		JsonNode soonest = status.path("soonestExpiry");
		details.add("soonest expiry", soonest.isMissingNode() ? "none" : expiry(soonest, "notAfter", now) + " "
				+ text(soonest, "spiffeId") + " (serial " + text(soonest, "serialNumber") + ")");
		details.print(out());
		return ExitCode.OK;
	}

}
