package io.stockrecon;

import java.util.Locale;

/**
 * How stockrecon reads the shop's free-text order status: trimmed and lowercased, as the
 * capture trigger does ({@code lower(btrim(status))}), so {@code ' Cancelled '} counts.
 */
public final class OrderStatus {

	public static final String CANCELLED = "cancelled";

	private OrderStatus() {
	}

	public static String normalize(String status) {
		return (status != null) ? status.strip().toLowerCase(Locale.ROOT) : "";
	}

	public static boolean isCancelled(String status) {
		return CANCELLED.equals(normalize(status));
	}

}
