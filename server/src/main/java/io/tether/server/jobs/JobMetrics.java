package io.tether.server.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Tags;
import io.tether.server.metrics.DatabaseGauges;

import org.springframework.stereotype.Component;

/**
 * {@code tether_job_last_success_seconds{job,replica}}: when each scheduled job last ran
 * successfully, epoch seconds, kept through later failures. {@code replica} is {@code *}
 * for a job that runs once across replicas (every replica reports it), else this
 * replica's name: a replica reports only its own runs, so that the rows a stopped replica
 * left behind do not show as jobs that stopped succeeding.
 */
@Component
class JobMetrics {

	JobMetrics(DatabaseGauges gauges, JobRuns runs) {
		gauges.gauges("tether.job.last.success", "seconds", "When the job last ran successfully, epoch seconds", () -> {
			Map<Tags, Double> values = new LinkedHashMap<>();
			for (JobRuns.Run run : runs.all()) {
				boolean ours = JobRuns.CLUSTER.equals(run.replica()) || runs.replica().equals(run.replica());
				if (ours && run.lastSuccessAt() != null) {
					values.put(Tags.of("job", run.name(), "replica", run.replica()),
							(double) run.lastSuccessAt().getEpochSecond());
				}
			}
			return values;
		});
	}

}
