package io.tether.server.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseGaugesTest {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final DatabaseGauges gauges = new DatabaseGauges(this.registry, Duration.ofSeconds(30));

	@Test
	void gaugeIsNotReadAtScrapeTime() {
		AtomicReference<Double> database = new AtomicReference<>(3.0);
		this.gauges.gauge("tether.test", null, "test", database::get);
		assertThat(this.registry.get("tether.test").gauge().value()).as("not read yet").isNaN();
		this.gauges.refresh();
		database.set(4.0);
		assertThat(this.registry.get("tether.test").gauge().value()).isEqualTo(3.0);
		this.gauges.refresh();
		assertThat(this.registry.get("tether.test").gauge().value()).isEqualTo(4.0);
	}

	@Test
	void gaugeWhoseReadingFailsKeepsItsLastValueAndOthersAreStillRead() {
		AtomicReference<Double> database = new AtomicReference<>(3.0);
		this.gauges.gauge("tether.failing", null, "test", () -> {
			Double value = database.get();
			if (value == null) {
				throw new IllegalStateException("database down");
			}
			return value;
		});
		this.gauges.gauge("tether.other", null, "test", () -> 7.0);
		this.gauges.refresh();
		database.set(null);
		this.gauges.refresh();
		assertThat(this.registry.get("tether.failing").gauge().value()).isEqualTo(3.0);
		assertThat(this.registry.get("tether.other").gauge().value()).isEqualTo(7.0);
	}

	@Test
	void labelledGaugesFollowTheLabelSetsRead() {
		AtomicReference<Map<Tags, Double>> database = new AtomicReference<>(
				Map.of(Tags.of("kind", "root"), 1.0, Tags.of("kind", "intermediate"), 2.0));
		this.gauges.gauges("tether.family", "seconds", "test", database::get);
		this.gauges.refresh();
		assertThat(this.registry.get("tether.family").tag("kind", "intermediate").gauge().value()).isEqualTo(2.0);
		database.set(Map.of(Tags.of("kind", "root"), 5.0));
		this.gauges.refresh();
		assertThat(this.registry.find("tether.family").gauges()).singleElement()
			.satisfies((gauge) -> assertThat(gauge.value()).isEqualTo(5.0));
	}

}
