package io.tether.agent;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tether.api.Durations;
import io.tether.pki.InvalidSpiffeIdException;
import io.tether.pki.KeyType;
import io.tether.pki.PkiException;
import io.tether.pki.SpiffeId;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The agent's one YAML file. Every error names the file and the key, so that a typo is
 * found at start and not at the first renewal.
 *
 * @param servers server base URLs, tried in turn
 * @param name the agent name, optional: when set, enrollment asks for exactly
 * {@code spiffe://<trustDomain>/agent/<name>} and fails on a token made for another name
 * @param trustDomain the trust domain, required with {@code name}
 * @param joinToken the join token, or {@code null}
 * @param joinTokenFile a file holding the join token, or {@code null}
 * @param dataDir where the agent keeps its identity and status
 * @param renewalFraction renew after this fraction of a certificate's lifetime
 * @param renewalJitter plus up to this fraction of the lifetime, at random
 * @param statusPort the local status and metrics port on 127.0.0.1, 0 for none
 * @param workloads the workloads to keep supplied
 * @param syncInterval how often the agent asks the server for its bundle
 */
public record AgentConfig(List<URI> servers, String name, String trustDomain, String joinToken, Path joinTokenFile,
		Path dataDir, double renewalFraction, double renewalJitter, int statusPort, List<Workload> workloads,
		Duration syncInterval) {

	/** The default sync interval: a bundle change reaches workloads within it. */
	static final Duration DEFAULT_SYNC_INTERVAL = Duration.ofSeconds(30);

	/**
	 * One workload's certificate and where it goes.
	 *
	 * @param spiffeId the SPIFFE ID of its registration entry
	 * @param keyType the key type generated on this host
	 * @param certificate PEM chain (leaf first), or {@code null}
	 * @param key PEM private key, or {@code null}
	 * @param bundle PEM trust bundle, or {@code null}
	 * @param keyStore PKCS#12 keystore, or {@code null}
	 * @param trustStore PKCS#12 truststore, or {@code null}
	 * @param passwordFile the PKCS#12 password, required with either store
	 * @param mode file mode of the written files
	 * @param owner {@code user} or {@code user:group} to own them, or {@code null}
	 * @param hook what to run after new files are in place, or {@code null}
	 * @param bundleIntermediates whether the PEM bundle also lists the valid
	 * intermediates after the roots (the truststore never does)
	 * @param jwtSvids the JWT-SVIDs to keep in files, one per audience
	 */
	public record Workload(SpiffeId spiffeId, KeyType keyType, Path certificate, Path key, Path bundle, Path keyStore,
			Path trustStore, Path passwordFile, Set<PosixFilePermission> mode, String owner, Hook hook,
			boolean bundleIntermediates, List<JwtSvidFile> jwtSvids) {

		/**
		 * A workload without JWT-SVIDs.
		 */
		public Workload(SpiffeId spiffeId, KeyType keyType, Path certificate, Path key, Path bundle, Path keyStore,
				Path trustStore, Path passwordFile, Set<PosixFilePermission> mode, String owner, Hook hook,
				boolean bundleIntermediates) {
			this(spiffeId, keyType, certificate, key, bundle, keyStore, trustStore, passwordFile, mode, owner, hook,
					bundleIntermediates, List.of());
		}

	}

	/**
	 * A JWT-SVID the agent keeps fresh in a file.
	 *
	 * @param audience its audience, one the workload's entry lists
	 * @param file where the token goes (the compact JWS and a newline), written with the
	 * workload's mode
	 */
	public record JwtSvidFile(String audience, Path file) {
	}

	/**
	 * A command with a timeout, or a signal to the process in a pid file.
	 *
	 * @param command the command and its arguments, or {@code null}
	 * @param timeout how long the command may run
	 * @param signal the signal name (HUP, USR1...), or {@code null}
	 * @param pidFile the pid file the signal goes to
	 */
	public record Hook(List<String> command, Duration timeout, String signal, Path pidFile) {
	}

	public static AgentConfig load(Path file) {
		Map<String, Object> root;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
			if (!(loaded instanceof Map<?, ?>)) {
				throw new ConfigException(file + ": expected a YAML mapping at the top");
			}
			root = cast(loaded);
		}
		catch (IOException ex) {
			throw new ConfigException("Cannot read " + file + ": " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			if (ex instanceof ConfigException config) {
				throw config;
			}
			throw new ConfigException(file + " is not valid YAML: " + ex.getMessage());
		}
		return new Parser(file).parse(root);
	}

	/**
	 * The join token: {@code joinToken}, else the content of {@code joinTokenFile}.
	 */
	public String resolveJoinToken() {
		if (this.joinToken != null) {
			return this.joinToken.strip();
		}
		if (this.joinTokenFile != null) {
			try {
				return Files.readString(this.joinTokenFile).strip();
			}
			catch (IOException ex) {
				throw new ConfigException("Cannot read joinTokenFile " + this.joinTokenFile + ": " + ex.getMessage());
			}
		}
		throw new ConfigException("The agent is not enrolled yet and has no joinToken or joinTokenFile: create one "
				+ "with 'tether token create --agent NAME' or POST /v1/join-tokens");
	}

	/**
	 * Checks what the configuration names that the daemon must read before it writes
	 * anything: the PKCS#12 password files. Found at the first renewal instead, a missing
	 * one would leave a workload with its PEM files and no keystore, obtaining a new
	 * certificate on every retry. Not part of {@link #load}: {@code tether-agent status}
	 * reads the same file, possibly as a user who may not read the passwords.
	 * @param file the configuration file, for the message
	 * @throws ConfigException naming the file, the key, the workload and the path
	 */
	public void checkFiles(Path file) {
		for (int i = 0; i < this.workloads.size(); i++) {
			Workload workload = this.workloads.get(i);
			if (workload.keyStore() == null && workload.trustStore() == null) {
				continue;
			}
			try {
				Files.readString(workload.passwordFile());
			}
			catch (IOException | RuntimeException ex) {
				throw new ConfigException(file + ": workloads[" + i + "].outputs.passwordFile: cannot read "
						+ workload.passwordFile() + " (workload " + workload.spiffeId() + "): "
						+ ((ex instanceof NoSuchFileException) ? "no such file" : ex.toString()));
			}
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> cast(Object value) {
		return (Map<String, Object>) value;
	}

	/** A configuration error, with the file and key in its message. */
	public static final class ConfigException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		ConfigException(String message) {
			super(message);
		}

	}

	private static final class Parser {

		/** Below this, a fleet's syncs would cost the server more than they buy. */
		private static final Duration MIN_SYNC_INTERVAL = Duration.ofSeconds(5);

		/**
		 * Above this, an emergency rotation would take too long to reach this host's
		 * certificates.
		 */
		private static final Duration MAX_SYNC_INTERVAL = Duration.ofMinutes(10);

		private final Path file;

		Parser(Path file) {
			this.file = file;
		}

		AgentConfig parse(Map<String, Object> root) {
			known(root, "the top level", "servers", "name", "trustDomain", "joinToken", "joinTokenFile", "dataDir",
					"renewal", "status", "sync", "workloads");
			List<URI> servers = new ArrayList<>();
			for (String url : strings(root, "servers", true)) {
				URI uri = URI.create(url);
				if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
					throw error("servers", "'" + url + "' is not an https:// URL");
				}
				servers.add(uri);
			}
			if (servers.isEmpty()) {
				throw error("servers", "at least one server URL is required");
			}
			String name = string(root, "name", false);
			String trustDomain = string(root, "trustDomain", false);
			if (name != null && trustDomain == null) {
				throw error("trustDomain", "is required when 'name' is set");
			}
			if (trustDomain != null) {
				try {
					SpiffeId.validateTrustDomain(trustDomain);
				}
				catch (InvalidSpiffeIdException ex) {
					throw error("trustDomain", ex.getMessage());
				}
			}
			String dataDir = string(root, "dataDir", true);
			Map<String, Object> renewal = map(root, "renewal", "renewal");
			known(renewal, "renewal", "fraction", "jitter");
			double fraction = number(renewal, "renewal.fraction", "fraction", 0.5);
			double jitter = number(renewal, "renewal.jitter", "jitter", 0.1);
			if (fraction <= 0 || fraction >= 1 || jitter < 0 || fraction + jitter >= 1) {
				throw error("renewal", "fraction must be in (0,1), jitter >= 0 and fraction + jitter < 1");
			}
			Map<String, Object> status = map(root, "status", "status");
			known(status, "status", "port");
			int port = (int) number(status, "status.port", "port", 0);
			Map<String, Object> sync = map(root, "sync", "sync");
			known(sync, "sync", "interval");
			Duration syncInterval = duration(sync, "interval", "sync.interval", DEFAULT_SYNC_INTERVAL);
			if (syncInterval.compareTo(MIN_SYNC_INTERVAL) < 0 || syncInterval.compareTo(MAX_SYNC_INTERVAL) > 0) {
				throw error("sync.interval", "must be between " + MIN_SYNC_INTERVAL.toSeconds() + "s and "
						+ MAX_SYNC_INTERVAL.toMinutes() + "m");
			}
			String tokenFile = string(root, "joinTokenFile", false);
			List<Workload> workloads = new ArrayList<>();
			Object list = root.get("workloads");
			if (list != null && !(list instanceof List<?>)) {
				throw error("workloads", "must be a list");
			}
			if (list != null) {
				int i = 0;
				for (Object item : (List<?>) list) {
					if (!(item instanceof Map<?, ?>)) {
						throw error("workloads[" + i + "]", "must be a mapping");
					}
					workloads.add(workload(cast(item), "workloads[" + i + "]"));
					i++;
				}
			}
			return new AgentConfig(List.copyOf(servers), name, trustDomain, string(root, "joinToken", false),
					(tokenFile != null) ? Path.of(tokenFile) : null, Path.of(dataDir), fraction, jitter, port,
					List.copyOf(workloads), syncInterval);
		}

		private Workload workload(Map<String, Object> map, String at) {
			known(map, at, "spiffeId", "keyType", "mode", "owner", "outputs", "hook", "jwtSvids");
			SpiffeId spiffeId;
			try {
				spiffeId = SpiffeId.parse(string(map, "spiffeId", true, at + ".spiffeId"));
			}
			catch (InvalidSpiffeIdException ex) {
				throw error(at + ".spiffeId", ex.getMessage());
			}
			KeyType keyType;
			try {
				String type = string(map, "keyType", false, at + ".keyType");
				keyType = (type != null) ? KeyType.parse(type) : KeyType.EC_P256;
			}
			catch (PkiException ex) {
				throw error(at + ".keyType", ex.getMessage());
			}
			Map<String, Object> outputs = map(map, "outputs", at + ".outputs");
			known(outputs, at + ".outputs", "certificate", "key", "bundle", "bundleIntermediates", "keystore",
					"truststore", "passwordFile");
			Path certificate = path(outputs, "certificate", at);
			Path key = path(outputs, "key", at);
			Path bundle = path(outputs, "bundle", at);
			Path keyStore = path(outputs, "keystore", at);
			Path trustStore = path(outputs, "truststore", at);
			Path passwordFile = path(outputs, "passwordFile", at);
			if (certificate == null && keyStore == null) {
				throw error(at + ".outputs", "needs 'certificate' (with 'key') or 'keystore'");
			}
			if ((certificate == null) != (key == null)) {
				throw error(at + ".outputs", "'certificate' and 'key' go together");
			}
			Object intermediates = outputs.getOrDefault("bundleIntermediates", false);
			if (!(intermediates instanceof Boolean)) {
				throw error(at + ".outputs.bundleIntermediates", "must be true or false");
			}
			boolean bundleIntermediates = (Boolean) intermediates;
			if (bundleIntermediates && bundle == null) {
				throw error(at + ".outputs.bundleIntermediates", "needs 'bundle', the file that lists them");
			}
			if ((keyStore != null || trustStore != null) && passwordFile == null) {
				throw error(at + ".outputs.passwordFile", "is required for PKCS#12 outputs");
			}
			String modeText = string(map, "mode", false, at + ".mode");
			Set<PosixFilePermission> mode;
			try {
				mode = (modeText != null) ? octal(modeText) : PosixFilePermissions.fromString("rw-------");
			}
			catch (IllegalArgumentException ex) {
				throw error(at + ".mode", "'" + modeText + "' is not an octal file mode like 0600 or 0640");
			}
			if (mode.contains(PosixFilePermission.OTHERS_READ)) {
				throw error(at + ".mode", "keys are never world-readable: drop the 'other' read bit");
			}
			return new Workload(spiffeId, keyType, certificate, key, bundle, keyStore, trustStore, passwordFile, mode,
					string(map, "owner", false, at + ".owner"), hook(map.get("hook"), at + ".hook"),
					bundleIntermediates, jwtSvids(map.get("jwtSvids"), at + ".jwtSvids"));
		}

		private List<JwtSvidFile> jwtSvids(Object value, String at) {
			if (value == null) {
				return List.of();
			}
			if (!(value instanceof List<?> items)) {
				throw error(at, "must be a list of {audience, file}");
			}
			List<JwtSvidFile> files = new ArrayList<>();
			for (int i = 0; i < items.size(); i++) {
				String itemAt = at + "[" + i + "]";
				if (!(items.get(i) instanceof Map<?, ?>)) {
					throw error(itemAt, "must be a mapping with 'audience' and 'file'");
				}
				Map<String, Object> item = cast(items.get(i));
				known(item, itemAt, "audience", "file");
				String audience = string(item, "audience", true, itemAt + ".audience");
				if (audience.isEmpty() || audience.codePoints()
					.anyMatch((c) -> Character.isWhitespace(c) || Character.isISOControl(c)
							|| Character.isSpaceChar(c))) {
					throw error(itemAt + ".audience", "must be non-empty, without whitespace or control characters");
				}
				Path file = Path.of(string(item, "file", true, itemAt + ".file"));
				for (JwtSvidFile other : files) {
					if (other.audience().equals(audience)) {
						throw error(itemAt + ".audience", "'" + audience + "' is listed twice");
					}
				}
				files.add(new JwtSvidFile(audience, file));
			}
			return List.copyOf(files);
		}

		private Hook hook(Object value, String at) {
			if (value == null) {
				return null;
			}
			if (!(value instanceof Map<?, ?>)) {
				throw error(at, "must be a mapping with 'command' or 'signal' + 'pidFile'");
			}
			Map<String, Object> map = cast(value);
			known(map, at, "command", "timeout", "signal", "pidFile");
			List<String> command = map.containsKey("command") ? strings(map, "command", true) : null;
			String signal = string(map, "signal", false, at + ".signal");
			String pidFile = string(map, "pidFile", false, at + ".pidFile");
			if ((command == null) == (signal == null)) {
				throw error(at, "needs exactly one of 'command' or 'signal'");
			}
			if (signal != null && pidFile == null) {
				throw error(at + ".pidFile", "is required with 'signal'");
			}
			if (signal != null && !signal.toUpperCase(Locale.ROOT).matches("(SIG)?[A-Z0-9]+")) {
				throw error(at + ".signal", "'" + signal + "' is not a signal name like HUP");
			}
			String timeout = string(map, "timeout", false, at + ".timeout");
			Duration duration = Duration.ofSeconds(30);
			if (timeout != null) {
				try {
					duration = Durations.parse(timeout);
				}
				catch (IllegalArgumentException ex) {
					throw error(at + ".timeout", ex.getMessage());
				}
			}
			return new Hook(command, duration,
					(signal != null) ? signal.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "") : null,
					(pidFile != null) ? Path.of(pidFile) : null);
		}

		private Duration duration(Map<String, Object> map, String key, String at, Duration defaultValue) {
			String text = string(map, key, false, at);
			if (text == null) {
				return defaultValue;
			}
			try {
				return Durations.parse(text);
			}
			catch (IllegalArgumentException ex) {
				throw error(at, ex.getMessage());
			}
		}

		private static Set<PosixFilePermission> octal(String text) {
			if (!text.matches("0?[0-7]{3}")) {
				throw new IllegalArgumentException(text);
			}
			int bits = Integer.parseInt(text, 8);
			StringBuilder symbolic = new StringBuilder();
			String letters = "rwx";
			for (int i = 8; i >= 0; i--) {
				symbolic.append(((bits >> i) & 1) == 1 ? letters.charAt((8 - i) % 3) : '-');
			}
			return PosixFilePermissions.fromString(symbolic.toString());
		}

		private Path path(Map<String, Object> map, String key, String at) {
			String value = string(map, key, false, at + ".outputs." + key);
			return (value != null) ? Path.of(value) : null;
		}

		private Map<String, Object> map(Map<String, Object> parent, String key, String at) {
			Object value = parent.get(key);
			if (value == null) {
				return Map.of();
			}
			if (!(value instanceof Map<?, ?>)) {
				throw error(at, "must be a mapping");
			}
			return cast(value);
		}

		/**
		 * Refuses a key this file does not know: silently ignored, a typo such as
		 * {@code renewl:} would leave the default in force with nothing said.
		 */
		private void known(Map<?, ?> map, String at, String... keys) {
			for (Object key : map.keySet()) {
				String name = String.valueOf(key);
				if (List.of(keys).contains(name)) {
					continue;
				}
				String nearest = null;
				int best = Integer.MAX_VALUE;
				for (String candidate : keys) {
					int distance = levenshtein(name.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
					if (distance < best) {
						best = distance;
						nearest = candidate;
					}
				}
				String hint = (best <= Math.max(2, name.length() / 3)) ? "did you mean '" + nearest + "'?"
						: "known keys here: " + String.join(", ", keys);
				throw new ConfigException(this.file + ": unknown key '" + name + "' at " + at + "; " + hint);
			}
		}

		private static int levenshtein(String a, String b) {
			int[] previous = new int[b.length() + 1];
			int[] current = new int[b.length() + 1];
			for (int j = 0; j <= b.length(); j++) {
				previous[j] = j;
			}
			for (int i = 1; i <= a.length(); i++) {
				current[0] = i;
				for (int j = 1; j <= b.length(); j++) {
					int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
					current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
				}
				int[] swap = previous;
				previous = current;
				current = swap;
			}
			return previous[b.length()];
		}

		private String string(Map<String, Object> map, String key, boolean required) {
			return string(map, key, required, key);
		}

		private String string(Map<String, Object> map, String key, boolean required, String at) {
			Object value = map.get(key);
			if (value == null) {
				if (required) {
					throw error(at, "is required");
				}
				return null;
			}
			if (value instanceof Map<?, ?> || value instanceof List<?>) {
				throw error(at, "must be a single value");
			}
			return value.toString();
		}

		private List<String> strings(Map<String, Object> map, String key, boolean required) {
			Object value = map.get(key);
			if (value == null) {
				if (required) {
					throw error(key, "is required");
				}
				return List.of();
			}
			if (value instanceof List<?> list) {
				return list.stream().map(String::valueOf).toList();
			}
			return List.of(value.toString());
		}

		private double number(Map<String, Object> map, String at, String key, double defaultValue) {
			Object value = map.get(key);
			if (value == null) {
				return defaultValue;
			}
			if (value instanceof Number number) {
				return number.doubleValue();
			}
			throw error(at, "must be a number");
		}

		private ConfigException error(String key, String message) {
			return new ConfigException(this.file + ": " + key + ": " + message);
		}

	}

}
