package io.tether.cli;

import java.time.Duration;
import java.time.Instant;

import io.tether.api.Status;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "status", mixinStandardHelpOptions = true,
		description = "Is the server reachable; its CA hierarchy, counts, the soonest expiry and the last run of each job.",
		footer = { "", "Example:", "  tether status", "  tether status -o json | jq .counts" })
class StatusCommand extends ApiCommand {

	@Override
	int run(ApiClient api) {
		OutputFormat format = tableOrJson();
		long started = System.nanoTime();
		ApiClient.Reply<Status> reply = api.get("/v1/status", Status.class);
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (format == OutputFormat.JSON) {
			ObjectNode json = ApiClient.JSON.createObjectNode();
			json.put("server", api.server().toString());
			json.setAll((ObjectNode) reply.json());
			printJson(json);
			return ExitCode.OK;
		}
		Status status = reply.value();
		Instant now = status.serverTime();
		Details details = new Details().add("server", api.server() + " (reachable, " + millis + " ms)")
			.add("trust domain", status.trustDomain());
		for (Status.AuthoritySummary authority : status.authorities()) {
			details.add(authority.kind(), authority.status() + ", " + authority.subject() + ", expires "
					+ expiry(authority.notAfter(), now) + ", SHA-256 " + authority.sha256());
		}
		Status.Counts counts = status.counts();
		details.add("agents", counts.activeAgents() + " active of " + counts.agents())
			.add("entries", counts.entries())
			.add("certificates", counts.validCertificates() + " valid");
		Status.Expiry soonest = status.soonestExpiry();
		details.add("soonest expiry", (soonest == null) ? "none" : expiry(soonest.notAfter(), now) + " "
				+ soonest.spiffeId() + " (serial " + soonest.serialNumber() + ")");
		details.print(out());
		if (status.jobs() != null && !status.jobs().isEmpty()) {
			out().println();
			Table jobs = new Table("JOB", "OUTCOME", "LAST RUN", "REPLICA", "DETAIL");
			for (Status.JobRun job : status.jobs()) {
				jobs.row(job.name(), job.outcome(), Times.compact(Duration.between(job.finishedAt(), now)) + " ago",
						"*".equals(job.replica()) ? "(once across replicas)" : job.replica(), job.detail());
			}
			jobs.print(out());
		}
		return ExitCode.OK;
	}

}
