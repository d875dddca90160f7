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
			AtomicReference<String> failure = new AtomicReference<>();
			// one more reply: the SELECT's
			Thread replies = new Thread(() -> readReplies(socket, count + 1, failure), "resp-replies");
			replies.start();
			OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
			out.write("*2\r\n$6\r\nSELECT\r\n".getBytes(StandardCharsets.US_ASCII));
			bulk(out, Integer.toString(database));
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

	/**
	 * Each reply to SELECT and INCRBY is one line: {@code +OK}, {@code :<value>} or
	 * {@code -<error>}.
	 */
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
