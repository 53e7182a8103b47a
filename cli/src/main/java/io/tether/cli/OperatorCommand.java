package io.tether.cli;

import java.time.Instant;

import io.tether.api.OperatorCreated;
import io.tether.api.OperatorList;
import io.tether.api.OperatorRequest;
import io.tether.api.OperatorRevocation;
import io.tether.api.OperatorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "operator", mixinStandardHelpOptions = true,
		description = "Named operators and their roles: admin, operator, auditor.",
		subcommands = { OperatorCommand.Add.class, OperatorCommand.List.class, OperatorCommand.Token.class,
				OperatorCommand.Revoke.class, OperatorCommand.Renew.class },
		footer = { "", "Example:", "  TOKEN=$(tether operator add alice --role operator)",
				"  tether login --server https://ca.example:8443 --token \"$TOKEN\"   # on alice's machine" })
class OperatorCommand extends GroupCommand {

	@Command(name = "add", mixinStandardHelpOptions = true,
			description = "Creates an operator with a role (admin: everything; operator: entries, join tokens, "
					+ "issuance, revocation, agents; auditor: reads and the audit log) and prints only its one-time "
					+ "enrollment token, for 'tether login' on the operator's machine; -o json adds the expiry.",
			footer = { "", "Example:", "  tether operator add alice --role operator" })
	static class Add extends ApiCommand {

		@Parameters(paramLabel = "NAME", description = "the operator's name: a-z, 0-9 and '-'; never reused")
		String name;

		@Option(names = "--role", required = true, paramLabel = "ROLE", description = "admin, operator or auditor")
		String role;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<OperatorCreated> created = api.post("/v1/operators",
					new OperatorRequest(this.name, this.role), OperatorCreated.class);
			if (format == OutputFormat.JSON) {
				printJson(created.json());
				return ExitCode.OK;
			}
			out().println(created.value().token());
			out().flush();
			this.spec.commandLine()
				.getErr()
				.println("tether: the token enrolls " + this.name + " (role " + created.value().role()
						+ ") once, until " + created.value().expiresAt() + ": tether login --server " + api.server()
						+ " --token TOKEN");
			return ExitCode.OK;
		}

	}

	@Command(name = "list", mixinStandardHelpOptions = true,
			description = "Every operator, its role and state, revoked ones included.",
			footer = { "", "Example:", "  tether operator list" })
	static class List extends ApiCommand {

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<OperatorList> operators = api.get("/v1/operators", OperatorList.class);
			if (format == OutputFormat.JSON) {
				printJson(operators.json());
				return ExitCode.OK;
			}
			Instant now = Instant.now();
			Table table = new Table("NAME", "ROLE", "STATE", "ENROLLED", "CREATED BY", "REVOKED");
			for (OperatorView operator : operators.value().operators()) {
				String enrolled = (operator.enrolledAt() != null) ? operator.enrolledAt().toString()
						: (operator.tokenExpiresAt() != null && operator.tokenExpiresAt().isAfter(now))
								? "no (token " + Times.until(operator.tokenExpiresAt(), now) + ")" : "no";
				table.row(operator.name(), operator.role(), operator.state(), enrolled, operator.createdBy(),
						(operator.revokedAt() != null) ? operator.revokedAt().toString() : "");
			}
			table.print(out());
			return ExitCode.OK;
		}

	}

	@Command(name = "token", mixinStandardHelpOptions = true,
			description = "A new one-time enrollment token for an existing operator (a new machine, a lost key, "
					+ "a certificate that expired); prints only the token. Logging in with it revokes the "
					+ "certificates the operator held before.",
			footer = { "", "Example:", "  tether operator token alice" })
	static class Token extends ApiCommand {

		@Parameters(paramLabel = "NAME", description = "the operator's name")
		String name;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<OperatorCreated> created = api
				.post("/v1/operators/" + ApiClient.segment(this.name) + "/token", OperatorCreated.class);
			if (format == OutputFormat.JSON) {
				printJson(created.json());
				return ExitCode.OK;
			}
			out().println(created.value().token());
			out().flush();
			return ExitCode.OK;
		}

	}

	@Command(name = "revoke", mixinStandardHelpOptions = true,
			description = "Revokes an operator and every certificate it holds: its next call is refused.",
			footer = { "", "Example:", "  tether operator revoke alice" })
	static class Revoke extends ApiCommand {

		@Parameters(paramLabel = "NAME", description = "the operator's name")
		String name;

		@Override
		int run(ApiClient api) {
			OutputFormat format = tableOrJson();
			ApiClient.Reply<OperatorRevocation> revoked = api
				.post("/v1/operators/" + ApiClient.segment(this.name) + "/revoke", OperatorRevocation.class);
			if (format == OutputFormat.JSON) {
				printJson(revoked.json());
				return ExitCode.OK;
			}
			out().println("revoked operator " + this.name + " and " + revoked.value().revokedCertificates()
					+ " certificate(s)");
			out().flush();
			return ExitCode.OK;
		}

	}

	@Command(name = "renew", mixinStandardHelpOptions = true,
			description = "Renews your operator certificate now, for the same key, and replaces the certificate "
					+ "file; every command also does this by itself once half of its life is gone.",
			footer = { "", "Example:", "  tether operator renew" })
	static class Renew extends ApiCommand {

		@Override
		int run(ApiClient api) {
			Instant notAfter = OperatorRenewal.renew(api, resolvedConfig());
			out().println("renewed " + resolvedConfig().certificate() + ": valid until " + notAfter + " ("
					+ Times.until(notAfter, Instant.now()) + ")");
			out().flush();
			return ExitCode.OK;
		}

	}

}
