package io.tether.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Where the server is and which admin credentials to use. Found from {@code --config},
 * else {@code TETHER_CONFIG}, else {@code ~/.config/tether/config.yaml}; the server
 * writes a ready one to {@code <data-dir>/admin/config.yaml}. Relative paths are relative
 * to the file. Trust is the bundle named here and nothing else.
 *
 * @param source the file it was read from
 * @param server the server's base URL
 * @param bundle PEM trust anchors the server's certificate must chain to
 * @param certificate PEM admin certificate chain
 * @param key PEM admin private key
 */
record CliConfig(Path source, URI server, Path bundle, Path certificate, Path key) {

	static final String ENVIRONMENT_VARIABLE = "TETHER_CONFIG";

	private static final List<String> KEYS = List.of("server", "bundle", "certificate", "key");

	/**
	 * Finds and reads the configuration.
	 * @param option the {@code --config} value, or {@code null}
	 * @param environment the process environment
	 */
	static CliConfig resolve(Path option, Map<String, String> environment) {
		if (option != null) {
			return load(option);
		}
		String variable = environment.get(ENVIRONMENT_VARIABLE);
		if (variable != null && !variable.isBlank()) {
			return load(Path.of(variable));
		}
		Path home = Path.of(environment.getOrDefault("HOME", System.getProperty("user.home")));
		Path standard = home.resolve(".config/tether/config.yaml");
		if (Files.isRegularFile(standard)) {
			return load(standard);
		}
		throw new CliException(ExitCode.USAGE, "No configuration: pass --config FILE or set " + ENVIRONMENT_VARIABLE
				+ " (the server writes one to <data-dir>/admin/config.yaml), or copy it to " + standard);
	}

	static CliConfig load(Path file) {
		String text;
		try {
			text = Files.readString(file);
		}
		catch (IOException ex) {
			throw new CliException(ExitCode.USAGE, "Cannot read the configuration " + file + " (" + ex + ")");
		}
		Map<String, String> values = parse(file, text);
		Path directory = file.toAbsolutePath().getParent();
		URI server = server(file, required(file, values, "server"));
		return new CliConfig(file, server, directory.resolve(required(file, values, "bundle")),
				directory.resolve(required(file, values, "certificate")),
				directory.resolve(required(file, values, "key")));
	}

	private static Map<String, String> parse(Path file, String text) {
		Object document;
		try {
			document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
		}
		catch (YAMLException ex) {
			throw new CliException(ExitCode.USAGE,
					file + ": not valid YAML (" + ex.getMessage().lines().findFirst().orElse("") + ")");
		}
		if (!(document instanceof Map<?, ?> map)) {
			throw new CliException(ExitCode.USAGE, file + ": expected the keys " + KEYS + ", found no mapping");
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (Map.Entry<?, ?> entry : map.entrySet()) {
			String key = String.valueOf(entry.getKey());
			if (!KEYS.contains(key)) {
				throw new CliException(ExitCode.USAGE, file + ": unknown key '" + key + "' (known: " + KEYS + ")");
			}
			if (!(entry.getValue() instanceof String value) || value.isBlank()) {
				throw new CliException(ExitCode.USAGE, file + ": " + key + ": expected a non-empty string");
			}
			values.put(key, value.strip());
		}
		return values;
	}

	private static String required(Path file, Map<String, String> values, String key) {
		String value = values.get(key);
		if (value == null) {
			throw new CliException(ExitCode.USAGE, file + ": " + key + ": missing");
		}
		return value;
	}

	private static URI server(Path file, String text) {
		URI uri;
		try {
			uri = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
		}
		catch (IllegalArgumentException ex) {
			throw new CliException(ExitCode.USAGE, file + ": server: not a URL: '" + text + "'");
		}
		if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
			throw new CliException(ExitCode.USAGE,
					file + ": server: must be an https:// URL with a host, like https://localhost:8443");
		}
		return uri;
	}

}
