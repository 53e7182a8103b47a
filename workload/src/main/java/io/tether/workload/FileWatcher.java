package io.tether.workload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Watches the directories of some files (and, for symbolic links such as Kubernetes
 * secret mounts, the directories of their targets) and runs an action once changes have
 * been quiet for a while, so that a burst of writes (bundle, key, chain) causes one
 * reload. Runs on a named daemon thread; a failing action is logged and watching goes on.
 * <p>
 * Thread-safe; {@link #close()} stops the thread.
 */
public final class FileWatcher implements AutoCloseable {

	private static final Logger logger = Logger.getLogger(FileWatcher.class.getName());

	private final WatchService service;

	private final Thread thread;

	private final Duration quietPeriod;

	private final Runnable action;

	private volatile boolean running = true;

	/**
	 * Starts watching.
	 * @param files the files whose changes matter
	 * @param quietPeriod how long changes must pause before the action runs
	 * @param action what to run after changes
	 * @throws UncheckedIOException if a directory cannot be watched
	 */
	public FileWatcher(Set<Path> files, Duration quietPeriod, Runnable action) {
		this.quietPeriod = quietPeriod;
		this.action = action;
		try {
			this.service = FileSystems.getDefault().newWatchService();
			for (Path directory : directories(files)) {
				directory.register(this.service, StandardWatchEventKinds.ENTRY_CREATE,
						StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot watch " + files, ex);
		}
		this.thread = new Thread(this::run, "tether-credential-watcher");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private static Set<Path> directories(Set<Path> files) throws IOException {
		Set<Path> directories = new LinkedHashSet<>();
		for (Path file : files) {
			Path absolute = file.toAbsolutePath();
			directories.add(absolute.getParent());
			if (Files.isSymbolicLink(absolute)) {
				// the link's target may be swapped (..data -> ..2026_11_25) in another
				// directory
				directories.add(absolute.toRealPath().getParent());
			}
		}
		return directories;
	}

	private void run() {
		while (this.running) {
			try {
				WatchKey key = this.service.take();
				drain(key);
				// debounce: wait until no event arrives for a whole quiet period
				WatchKey next;
				while ((next = this.service.poll(this.quietPeriod.toMillis(), TimeUnit.MILLISECONDS)) != null) {
					drain(next);
				}
				try {
					this.action.run();
				}
				catch (RuntimeException ex) {
					logger.log(Level.WARNING, "Credential reload failed; keeping the last good credentials", ex);
				}
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
		}
	}

	private static void drain(WatchKey key) {
		key.pollEvents();
		key.reset();
	}

	@Override
	public void close() {
		this.running = false;
		try {
			this.service.close();
		}
		catch (IOException ex) {
			// closing a watch service does not fail in practice; nothing to do if it does
		}
		this.thread.interrupt();
	}

}
