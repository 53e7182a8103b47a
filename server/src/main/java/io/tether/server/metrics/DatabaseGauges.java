package io.tether.server.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tether.server.TetherProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Gauges whose values come from the database. Each is read once per
 * {@code tether.metrics.refresh-interval} (30 s) on a thread of its own, never at scrape
 * time: a scrape, however frequent, costs the database nothing, and the jobs' scheduler
 * thread never waits for a slow query. A reading that fails (the database is down) keeps
 * the gauge's last value and is logged; the next period tries again.
 */
@Component
public class DatabaseGauges implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseGauges.class);

	private final MeterRegistry registry;

	private final Duration refreshInterval;

	private final List<Reading> readings = new CopyOnWriteArrayList<>();

	private volatile ScheduledExecutorService executor;

	@Autowired
	DatabaseGauges(MeterRegistry registry, TetherProperties properties) {
		this(registry, properties.metrics().refreshInterval());
	}

	DatabaseGauges(MeterRegistry registry, Duration refreshInterval) {
		this.registry = registry;
		this.refreshInterval = refreshInterval;
	}

	/**
	 * Registers a gauge without labels.
	 * @param name the meter's name ({@code tether.certificates.valid})
	 * @param baseUnit its unit ({@code seconds}), or {@code null}
	 * @param description what it measures
	 * @param reading reads its value; {@code NaN} for none
	 */
	public void gauge(String name, String baseUnit, String description, Supplier<Double> reading) {
		AtomicReference<Double> value = new AtomicReference<>(Double.NaN);
		Gauge.builder(name, value, AtomicReference::get)
			.baseUnit(baseUnit)
			.description(description)
			.strongReference(true)
			.register(this.registry);
		this.readings.add(new Reading(name, () -> value.set(reading.get())));
	}

	/**
	 * Registers a family of gauges whose label sets come with each reading: a set that is
	 * no longer read is removed.
	 * @param name the meter's name ({@code tether.authority.not.after})
	 * @param baseUnit its unit, or {@code null}
	 * @param description what it measures
	 * @param reading reads each label set's value
	 */
	public void gauges(String name, String baseUnit, String description, Supplier<Map<Tags, Double>> reading) {
		MultiGauge gauges = MultiGauge.builder(name)
			.baseUnit(baseUnit)
			.description(description)
			.register(this.registry);
		this.readings.add(new Reading(name,
				() -> gauges.register(reading.get()
					.entrySet()
					.stream()
					.map((entry) -> MultiGauge.Row.of(entry.getKey(), entry.getValue()))
					.toList(), true)));
	}

	/**
	 * Reads every gauge now, on the caller's thread.
	 */
	public void refresh() {
		for (Reading reading : this.readings) {
			try {
				reading.refresh().run();
			}
			catch (RuntimeException ex) {
				logger.warn("Cannot read {}; it keeps its last value ({})", reading.name(), ex.toString());
			}
		}
	}

	@Override
	public void start() {
		ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "tether-metrics");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.refreshInterval.toMillis();
		started.scheduleWithFixedDelay(this::refresh, 0, period, TimeUnit.MILLISECONDS);
		this.executor = started;
	}

	@Override
	public void stop() {
		ScheduledExecutorService running = this.executor;
		if (running != null) {
			running.shutdownNow();
			this.executor = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.executor != null;
	}

	private record Reading(String name, Runnable refresh) {
	}

}
