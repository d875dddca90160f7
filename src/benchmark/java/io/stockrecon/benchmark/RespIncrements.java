package io.stockrecon.benchmark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code INCRBY}s written straight onto a socket in the Redis protocol, as
 * {@code redis-cli --pipe} does, while another thread reads the replies: the physical
 * limit of delivering increments, without any client library's cost per command.
 */
final class RespIncrements {

	private RespIncrements() {
	}

	/**
	 * Adds {@code deltas[i]} to the counter {@code prefix + keys[i]} of a Redis database,
	 * for the first {@code count} pairs, and waits until Redis has answered every one.
	 */
	static void send(String host, int port, int database, String prefix, String[] keys, long[] deltas, int count)
			throws IOException, InterruptedException {
		try (Socket socket = new Socket(host, port)) {
			socket.setTcpNoDelay(true);
			select(socket, database);
			AtomicReference<String> failure = new AtomicReference<>();
			Thread replies = new Thread(() -> readReplies(socket, count, failure), "resp-replies");
			replies.start();
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
			byte[] command = "*3\r\n$6\r\nINCRBY\r\n".getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < count; i++) {
				out.write(command);
				bulk(out, prefix + keys[i]);
				bulk(out, Long.toString(deltas[i]));
			}
			out.flush();
			replies.join();
			if (failure.get() != null) {
				throw new IOException("Redis refused an increment: " + failure.get());
			}
		}
	}

	/**
	 * Selects the shop's database and waits for its {@code +OK}: increments sent to
	 * another database would land where nobody cleans them up.
	 */
	private static void select(Socket socket, int database) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write("*2\r\n$6\r\nSELECT\r\n".getBytes(StandardCharsets.US_ASCII));
		bulk(out, Integer.toString(database));
		out.flush();
		StringBuilder reply = new StringBuilder();
		InputStream in = socket.getInputStream();
		for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
			reply.append((char) b);
		}
		if (!reply.toString().trim().equals("+OK")) {
			throw new IOException("Redis refused SELECT " + database + ": " + reply.toString().trim());
		}
	}

	private static void bulk(OutputStream out, String value) throws IOException {
		byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
		out.write('$');
		out.write(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
		out.write('\r');
		out.write('\n');
		out.write(bytes);
		out.write('\r');
		out.write('\n');
	}

	/** Each reply to INCRBY is one line: {@code :<value>} or {@code -<error>}. */
	private static void readReplies(Socket socket, int count, AtomicReference<String> failure) {
		try {
			InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
			int lines = 0;
			boolean lineStart = true;
			StringBuilder error = null;
			while (lines < count) {
				int b = in.read();
				if (b < 0) {
					failure.compareAndSet(null, "connection closed after " + lines + " replies");
					return;
				}
				if (lineStart && b == '-') {
					error = new StringBuilder();
				}
				lineStart = (b == '\n');
				if (error != null && !lineStart) {
					error.append((char) b);
				}
				if (lineStart) {
					lines++;
					if (error != null) {
						failure.compareAndSet(null, error.toString().trim());
						error = null;
					}
				}
			}
		}
		catch (IOException ex) {
			failure.compareAndSet(null, ex.getMessage());
		}
	}

}
