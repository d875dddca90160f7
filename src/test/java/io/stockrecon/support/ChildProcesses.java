package io.stockrecon.support;

import java.io.IOException;

/**
 * The processes a test starts of its own (a redis-server, the packaged jar): each is
 * ended with the test JVM if the test leaves it running, and is killed by its own handle,
 * never by name, so nothing else on the machine is touched.
 */
final class ChildProcesses {

	private ChildProcesses() {
	}

	/** Starts the process, to be killed when the test JVM exits if it still runs then. */
	static Process start(ProcessBuilder builder) throws IOException {
		Process process = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
		return process;
	}

	/** {@code kill -9} and waits for its end: it gets no chance to record anything. */
	static void kill(Process process) {
		process.destroyForcibly();
		try {
			process.waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
