package io.stockrecon.shop;

import java.util.Locale;

/**
 * How stockrecon reads the shop's order status: trimmed and lowercased, as the capture
 * trigger does ({@code lower(btrim(status::text))}), so {@code ' Cancelled '} counts.
 */
public final class OrderStatuses {

	private OrderStatuses() {
	}

	public static String normalize(String status) {
		return (status != null) ? status.strip().toLowerCase(Locale.ROOT) : "";
	}

}
