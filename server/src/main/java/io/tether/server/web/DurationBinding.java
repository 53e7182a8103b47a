package io.tether.server.web;

import java.time.Duration;

import io.tether.api.Durations;

import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;
import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Durations in {@code tether.*} settings read with Tether's one syntax
 * ({@link Durations}): {@code tether.issuance.max-ttl: 1h30m} as well as {@code PT1H30M},
 * like the API, the agent and the CLI.
 */
@Component
@ConfigurationPropertiesBinding
class DurationBinding implements Converter<String, Duration> {

	@Override
	public Duration convert(String source) {
		return Durations.parse(source);
	}

}
