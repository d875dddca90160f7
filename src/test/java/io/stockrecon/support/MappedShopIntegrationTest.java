package io.stockrecon.support;

import java.time.LocalDate;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;

import io.stockrecon.drift.VerifyMode;
import io.stockrecon.job.LaunchOutcome;
import io.stockrecon.job.NightlyJobLauncher;

/**
 * The fixture of a test class that runs the job in its own application context on a
 * {@link MappedShop}: the subclass builds its shop and registers it from a
 * {@code @DynamicPropertySource} method, before the context starts (and so before
 * stockrecon installs itself), as in a real shop.
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class MappedShopIntegrationTest {

	@Autowired
	protected JdbcClient jdbc;

	@Autowired
	protected StringRedisTemplate redis;

	@Autowired
	protected NightlyJobLauncher launcher;

	/** The nightly job, forced so that every test can run it again. */
	protected JobExecution runNightly() {
		return runNightly(false);
	}

	protected JobExecution runNightly(boolean fullScan) {
		return ((LaunchOutcome.Ran) this.launcher.run(LocalDate.of(2026, 11, 24), fullScan, true)).execution();
	}

	protected JobExecution verify(VerifyMode mode) {
		return ((LaunchOutcome.Ran) this.launcher.verify(mode)).execution();
	}

}
