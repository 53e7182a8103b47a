package io.tether.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A noun ({@code entry}, {@code cert}...) run without a verb: shows its verbs, exit 2.
 */
abstract class GroupCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		this.spec.commandLine().getErr().println("tether: '" + this.spec.qualifiedName() + "' needs a command:");
		this.spec.commandLine().usage(this.spec.commandLine().getErr());
		return ExitCode.USAGE;
	}

}
