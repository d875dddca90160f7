package io.stockrecon.shop;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * How stockrecon reads the shop's order status: trimmed of spaces, tabs and line breaks
 * and lowercased, as the capture trigger does
 * ({@code lower(btrim(status::text, E' \t\r\n'))}), so {@code ' Cancelled '} counts. The
 * configured statuses are checked against PostgreSQL's own reading at start
 * ({@link ShopCatalog}).
 */
public final class OrderStatuses {

	/** The characters the capture trigger trims: {@code btrim(status, E' \t\r\n')}. */
	private static final Pattern TRIMMED = Pattern.compile("^[ \t\r\n]+|[ \t\r\n]+$");

	private OrderStatuses() {
	}

	public static String normalize(String status) {
		return (status != null) ? TRIMMED.matcher(status).replaceAll("").toLowerCase(Locale.ROOT) : "";
	}

}
