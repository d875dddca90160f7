package io.stockrecon.drift;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.stockrecon.shop.ShopMapping;

/**
 * Splits the stock table into key ranges of balanced size, from the quantiles of the keys
 * in the table's own order (sparse or clustered ids, uuids and text keys alike give equal
 * partitions). A partition holds the keys after its lower bound up to its upper bound;
 * the first has no lower bound, the last no upper bound.
 */
class ProductRangePartitioner implements Partitioner {

	/** Present in every partition: whether the partition is empty by construction. */
	static final String EMPTY = "emptyRange";

	static final String AFTER = "afterProductId";

	static final String UP_TO = "upToProductId";

	private static final String QUANTILES = """
			SELECT bound::text FROM unnest((
			    SELECT percentile_disc(CAST(:fractions AS float8[])) WITHIN GROUP (ORDER BY ${stock.key}) FROM ${stock}
			)) AS bound
			""";

	private final JdbcClient jdbc;

	private final ShopMapping shop;

	ProductRangePartitioner(JdbcClient jdbc, ShopMapping shop) {
		this.jdbc = jdbc;
		this.shop = shop;
	}

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		double[] fractions = new double[gridSize - 1];
		for (int i = 1; i < gridSize; i++) {
			fractions[i - 1] = (double) i / gridSize;
		}
		List<String> bounds = (gridSize > 1)
				? this.jdbc.sql(this.shop.sql(QUANTILES)).param("fractions", fractions).query(String.class).list()
				: List.of();
		boolean bounded = bounds.size() == gridSize - 1 && bounds.stream().allMatch((bound) -> bound != null);
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (int i = 0; i < gridSize; i++) {
			ExecutionContext context = new ExecutionContext();
			// an empty table has no quantiles: the first partition takes everything
			context.put(EMPTY, !bounded && i > 0);
			if (bounded && i > 0) {
				context.putString(AFTER, bounds.get(i - 1));
			}
			if (bounded && i < gridSize - 1) {
				context.putString(UP_TO, bounds.get(i));
			}
			partitions.put("partition" + i, context);
		}
		return partitions;
	}

}
