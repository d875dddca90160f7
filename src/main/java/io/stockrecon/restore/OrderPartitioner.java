package io.stockrecon.restore;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * Splits the queued events by {@code order_id % partitions}: balanced without a look at
 * the data, and every event of one order lands in the same partition, so two partitions
 * never compete for the same order.
 */
class OrderPartitioner implements Partitioner {

	static final String PARTITION = "partition";

	static final String PARTITIONS = "partitions";

	@Override
	public Map<String, ExecutionContext> partition(int gridSize) {
		Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
		for (int i = 0; i < gridSize; i++) {
			ExecutionContext context = new ExecutionContext();
			context.putInt(PARTITION, i);
			context.putInt(PARTITIONS, gridSize);
			partitions.put("partition" + i, context);
		}
		return partitions;
	}

}
