package io.tether.cli;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true,
		description = "Prints a completion script for bash, which zsh also loads (after 'autoload -U +X "
				+ "bashcompinit && bashcompinit').",
		footer = { "", "Example:", "  source <(tether completion)",
				"  tether completion > /etc/bash_completion.d/tether" })
class CompletionCommand implements Callable<Integer> {

	@Spec
	CommandSpec spec;

	@Override
	public Integer call() {
		this.spec.commandLine().getOut().print(AutoComplete.bash("tether", this.spec.root().commandLine()));
		this.spec.commandLine().getOut().flush();
		return ExitCode.OK;
	}

}
