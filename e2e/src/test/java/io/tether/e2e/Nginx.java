package io.tether.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.tether.pki.testing.Commands;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real nginx with everything under one directory: its configuration is the common
 * preamble and one {@code server} block given by the test.
 */
final class Nginx implements AutoCloseable {

	private final Path directory;

	private final Path conf;

	private boolean started;

	Nginx(Path directory, String serverBlock) {
		this.directory = directory;
		this.conf = directory.resolve("nginx.conf");
		try {
			Files.createDirectories(directory);
			Files.writeString(this.conf, """
					daemon on;
					master_process on;
					worker_processes 1;
					pid %1$s/nginx.pid;
					error_log %1$s/error.log;
					events { worker_connections 64; }
					http {
					  access_log off;
					  client_body_temp_path %1$s/tmp;
					  proxy_temp_path %1$s/tmp;
					  fastcgi_temp_path %1$s/tmp;
					  uwsgi_temp_path %1$s/tmp;
					  scgi_temp_path %1$s/tmp;
					%2$s
					}
					""".formatted(directory, serverBlock.indent(2).stripTrailing()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** {@code nginx -s reload} for this instance, as an agent hook command. */
	List<String> reloadCommand() {
		return List.of("nginx", "-p", this.directory.toString(), "-c", this.conf.toString(), "-s", "reload");
	}

	Nginx start() {
		Commands.Result started = Commands.run(this.directory, "nginx", "-p", this.directory.toString(), "-c",
				this.conf.toString());
		assertThat(started.exitCode()).as(started.output()).isZero();
		this.started = true;
		return this;
	}

	@Override
	public void close() {
		if (this.started) {
			Commands.run(this.directory, "nginx", "-p", this.directory.toString(), "-c", this.conf.toString(), "-s",
					"stop");
		}
	}

}
