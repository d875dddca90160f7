package io.stockrecon.job;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.stockrecon.cli.ExitCode;
import io.stockrecon.support.DirectStores;
import io.stockrecon.support.RequiresStores;
import io.stockrecon.support.ShopData;
import io.stockrecon.support.StockreconJar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One execution at a time per database, whatever the run date: launches that overlap a
 * running one exit 3 and name it.
 */
@ExtendWith(RequiresStores.class)
class ConcurrentLaunchIntegrationTests {

	@AutoClose
	static DirectStores stores;

	@BeforeAll
	static void shop() {
		stores = DirectStores.withShop(1000, 20000);
	}

	@Test
	void shouldRunOneOfTwoLaunchesAtOnceAndRefuseTheOtherNamingIt() {
		StockreconJar jar = stores.jar().with("--stockrecon.restore.chunk-size=10");

		List<StockreconJar.Finished> results = Stream
			.of(jar.start("run", "--run-date=2026-11-24"), jar.start("run", "--run-date=2026-11-25"))
			.toList()
			.stream()
			.map(StockreconJar.Launch::awaitExit)
			.toList();

		assertThat(results).extracting(StockreconJar.Finished::exitCode)
			.containsExactlyInAnyOrder(ExitCode.COMPLETED, ExitCode.REFUSED);
		StockreconJar.Finished refused = results.stream()
			.filter((result) -> result.exitCode() == ExitCode.REFUSED)
			.findFirst()
			.orElseThrow();
		assertThat(refused.output()).containsPattern("execution \\d+ is running");
		assertThat(stores.jdbc().sql("SELECT count(*) FROM batch_job_execution").query(Long.class).single())
			.isEqualTo(2);
		assertThat(ShopData.redisStock(stores.jdbc(), stores.redis(), stores.keyPrefix()))
			.isEqualTo(ShopData.expectedStock(stores.jdbc()));
	}

}
