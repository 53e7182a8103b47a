package io.tether.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /actuator/prometheus}, parsed: the Prometheus text format's
 * samples, found by name and labels.
 */
record Scrape(List<Sample> samples) {

	private static final Pattern LINE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

	record Sample(String name, Map<String, String> labels, double value) {
	}

	static Scrape parse(String text) {
		List<Sample> samples = new ArrayList<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher matcher = LINE.matcher(line.strip());
			if (!matcher.matches()) {
				throw new IllegalArgumentException("Not a sample: " + line);
			}
			Map<String, String> labels = new LinkedHashMap<>();
			if (matcher.group(3) != null) {
				Matcher label = LABEL.matcher(matcher.group(3));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.add(new Sample(matcher.group(1), labels, Double.parseDouble(matcher.group(4))));
		}
		return new Scrape(List.copyOf(samples));
	}

	/**
	 * The samples of this name that carry at least these labels.
	 */
	List<Sample> find(String name, Map<String, String> labels) {
		return this.samples.stream()
			.filter((sample) -> sample.name().equals(name))
			.filter((sample) -> sample.labels().entrySet().containsAll(labels.entrySet()))
			.toList();
	}

	/**
	 * The value of the one sample of this name with at least these labels; 0 when there
	 * is none (a counter not yet incremented).
	 */
	double value(String name, Map<String, String> labels) {
		List<Sample> found = find(name, labels);
		if (found.size() > 1) {
			throw new AssertionError(found.size() + " samples of " + name + labels + ": " + found);
		}
		return found.isEmpty() ? 0 : found.get(0).value();
	}

	double value(String name) {
		return value(name, Map.of());
	}

}
