package io.tether.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code tether}: the operator's command line for a Tether CA.
 */
@Command(name = "tether", mixinStandardHelpOptions = true, versionProvider = TetherCli.Version.class,
		description = "Operate a Tether CA: agents, registration entries, certificates, audit; "
				+ "inspect certificates offline.",
		subcommands = { StatusCommand.class, CaCommand.class, AdminCommand.class, BundleCommand.class,
				TokenCommand.class, AgentCommand.class, EntryCommand.class, CertCommand.class, CrlCommand.class,
				AuditCommand.class, OperatorCommand.class, LoginCommand.class, InspectCommand.class,
				ThumbprintCommand.class, PasswordHashCommand.class, CompletionCommand.class,
				CommandLine.HelpCommand.class },
		footer = { "", "Configuration: --config FILE, else $TETHER_CONFIG, else ~/.config/tether/config.yaml.",
				"The server writes a ready one to <data-dir>/admin/config.yaml at each start.", "",
				"Exit codes: 0 ok, 1 failed, 2 usage, 3 not found, 4 refused (credentials or policy),",
				"5 server unreachable; 6 revoked, 7 revocation status unknown (cert status, inspect --revocation).",
				"Errors go to stderr, one line each.", "", "Example:",
				"  TETHER_CONFIG=data/admin/config.yaml tether status" })
public final class TetherCli implements Callable<Integer> {

	/** Wide enough for the examples' SPIFFE IDs on one line. */
	private static final int USAGE_WIDTH = 100;

	private final Map<String, String> environment;

	@Spec
	CommandSpec spec;

	private final InputStream input;

	TetherCli(Map<String, String> environment, InputStream input) {
		this.environment = environment;
		this.input = input;
	}

	public static void main(String[] args) {
		PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
		PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
		int exitCode = execute(args, System.getenv(), out, err);
		out.flush();
		System.exit(exitCode);
	}

	/**
	 * Runs one command line.
	 * @param args the arguments
	 * @param environment the environment ({@code TETHER_CONFIG}, {@code HOME})
	 * @param out where output goes
	 * @param err where errors go, one line each
	 * @return the exit code
	 */
	static int execute(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
		return execute(args, environment, System.in, out, err);
	}

	/**
	 * Runs one command line that may read standard input.
	 */
	static int execute(String[] args, Map<String, String> environment, InputStream input, PrintWriter out,
			PrintWriter err) {
		CommandLine commandLine = commandLine(environment, input);
		commandLine.setOut(out);
		commandLine.setErr(err);
		return commandLine.execute(args);
	}

	static CommandLine commandLine(Map<String, String> environment) {
		return commandLine(environment, System.in);
	}

	static CommandLine commandLine(Map<String, String> environment, InputStream input) {
		return new CommandLine(new TetherCli(environment, input)).setUsageHelpWidth(USAGE_WIDTH)
			.setCaseInsensitiveEnumValuesAllowed(true)
			.setExecutionExceptionHandler(TetherCli::failed)
			.setParameterExceptionHandler(TetherCli::misused);
	}

	static Map<String, String> environment(CommandSpec spec) {
		return ((TetherCli) spec.root().userObject()).environment;
	}

	static InputStream input(CommandSpec spec) {
		return ((TetherCli) spec.root().userObject()).input;
	}

	@Override
	public Integer call() {
		this.spec.commandLine().usage(this.spec.commandLine().getErr());
		return ExitCode.USAGE;
	}

	private static int failed(Exception ex, CommandLine commandLine, CommandLine.ParseResult parseResult) {
		PrintWriter err = commandLine.getErr();
		if (ex instanceof CliException failure) {
			err.println("tether: " + oneLine(failure.getMessage()));
			return failure.exitCode();
		}
		err.println("tether: unexpected error: " + oneLine(String.valueOf(ex))
				+ "; run again with TETHER_CLI_OPTS=-Dtether.cli.trace=true to see where");
		if (Boolean.getBoolean("tether.cli.trace")) {
			ex.printStackTrace(err);
		}
		return ExitCode.FAILED;
	}

	private static int misused(CommandLine.ParameterException ex, String[] args) {
		CommandLine commandLine = ex.getCommandLine();
		commandLine.getErr()
			.println("tether: " + oneLine(ex.getMessage()) + "; see '" + commandLine.getCommandSpec().qualifiedName()
					+ " --help'");
		return ExitCode.USAGE;
	}

	private static String oneLine(String message) {
		return message.replaceAll("\\s*\\R\\s*", " ").strip();
	}

	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = TetherCli.class.getPackage().getImplementationVersion();
			return new String[] { "tether " + ((version != null) ? version : "(development build)") };
		}

	}

}
