package io.tether.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * A command that talks to the server: {@code --config} and {@code -o} for all of them,
 * one client per run, output through the command line's writers.
 */
abstract class ApiCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Option(names = "--config", paramLabel = "FILE",
			description = "CLI configuration (default: $TETHER_CONFIG, else ~/.config/tether/config.yaml)")
	Path config;

	@Option(names = { "-o", "--output" }, paramLabel = "FORMAT",
			description = "table (default) or json; pem where the command says so")
	OutputFormat output;

	@Override
	public final Integer call() {
		CliConfig resolved = CliConfig.resolve(this.config, TetherCli.environment(this.spec));
		try (ApiClient api = ApiClient.connect(resolved, this.spec.qualifiedName())) {
			return run(api);
		}
	}

	abstract int run(ApiClient api);

	/**
	 * The chosen output format, checked against what this command can print.
	 */
	OutputFormat format(OutputFormat defaultFormat, OutputFormat... allowed) {
		OutputFormat format = (this.output != null) ? this.output : defaultFormat;
		if (!Arrays.asList(allowed).contains(format)) {
			throw new CommandLine.ParameterException(this.spec.commandLine(), "'-o " + format.name().toLowerCase()
					+ "' is not available here; use one of " + Arrays.toString(allowed).toLowerCase());
		}
		return format;
	}

	OutputFormat tableOrJson() {
		return format(OutputFormat.TABLE, OutputFormat.TABLE, OutputFormat.JSON);
	}

	PrintWriter out() {
		return this.spec.commandLine().getOut();
	}

	void printJson(JsonNode node) {
		out().println(ApiClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
		out().flush();
	}

	static String text(JsonNode node, String field) {
		JsonNode value = node.path(field);
		return (value.isMissingNode() || value.isNull()) ? null : value.asString();
	}

	static Instant instant(JsonNode node, String field) {
		String value = text(node, field);
		return (value != null) ? Instant.parse(value) : null;
	}

	static String expiry(JsonNode node, String field, Instant now) {
		Instant instant = instant(node, field);
		return (instant != null) ? instant + " (" + Times.until(instant, now) + ")" : null;
	}

	static String joined(JsonNode array) {
		StringBuilder text = new StringBuilder();
		for (JsonNode item : array) {
			text.append(text.isEmpty() ? "" : ",").append(item.asString());
		}
		return text.toString();
	}

}
