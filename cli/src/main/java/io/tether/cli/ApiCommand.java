package io.tether.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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
			description = "table (default) or json; pem or spiffe where the command says so")
	OutputFormat output;

	@Override
	public final Integer call() {
		CliConfig resolved = CliConfig.resolve(this.config, TetherCli.environment(this.spec));
		this.resolved = resolved;
		try (ApiClient api = ApiClient.connect(resolved, this.spec.qualifiedName())) {
			String warning = api.expiryWarning(Instant.now());
			if (warning != null) {
				this.spec.commandLine().getErr().println(warning);
			}
			if (!(this instanceof OperatorCommand.Renew) && OperatorRenewal.due(api.certificate(), Instant.now())) {
				try {
					OperatorRenewal.renew(api, resolved);
				}
				catch (CliException ex) {
					// the command itself says what is wrong, if anything is
					this.spec.commandLine()
						.getErr()
						.println("tether: warning: could not renew the operator certificate " + resolved.certificate()
								+ ": " + ex.getMessage());
				}
			}
			return run(api);
		}
	}

	abstract int run(ApiClient api);

	/** The configuration in use, once {@link #call} resolved it. */
	private CliConfig resolved;

	CliConfig resolvedConfig() {
		return this.resolved;
	}

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

	/**
	 * An instant and the time left until it, or {@code null} when there is none.
	 */
	static String expiry(Instant instant, Instant now) {
		return (instant != null) ? instant + " (" + Times.until(instant, now) + ")" : null;
	}

	static String joined(List<String> values) {
		return (values != null) ? String.join(",", values) : "";
	}

}
