package io.stockrecon.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Splits {@code inventory} into product id ranges of balanced size, from the quantiles of
 * the product ids (sparse or clustered ids still give equal partitions).
 */
class ProductRangePartitioner implements Partitioner {

	static final String FIRST = "firstProductId";

	static final String LAST = "lastProductId";

	private static final String QUANTILES = """
			SELECT unnest(percentile_disc(:fractions) WITHIN GROUP (ORDER BY product_id)) FROM inventory
			""";

	private final JdbcClient jdbc;

	ProductRangePartitioner(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		double[] fractions = new double[gridSize - 1];
		for (int i = 1; i < gridSize; i++) {
			fractions[i - 1] = (double) i / gridSize;
		}
		List<Long> bounds = (gridSize > 1)
				? this.jdbc.sql(QUANTILES).param("fractions", fractions).query(Long.class).list() : List.of();
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		long first = Long.MIN_VALUE;
		for (int i = 0; i < gridSize; i++) {
			long last = (i < bounds.size() && bounds.get(i) != null) ? bounds.get(i) : Long.MAX_VALUE;
			if (i == gridSize - 1) {
				last = Long.MAX_VALUE;
			}
			ExecutionContext context = new ExecutionContext();
			context.putLong(FIRST, first);
			context.putLong(LAST, last);
			partitions.put("partition" + i, context);
			first = (last == Long.MAX_VALUE) ? Long.MAX_VALUE : last + 1;
		}
		return partitions;
	}

}
