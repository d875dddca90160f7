package io.stockrecon.support;

import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests that run the application in-process against real stores.
 * <p>
 * Each test class gets its own database and Redis key prefix; its context is closed after
 * the class ({@code DirtiesContext}) because the database is the class's alone, and a
 * cached context would hold connections to a database nobody uses any more.
 */
@ExtendWith(RequiresStores.class)
@SpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
public abstract class StoresIntegrationTest {

	@DynamicPropertySource
	static void realStores(DynamicPropertyRegistry registry) {
		TestStores.TestDatabase database = TestStores.newDatabase();
		registry.add("spring.datasource.url", database::url);
		registry.add("spring.datasource.username", database::username);
		registry.add("spring.datasource.password", database::password);
		registry.add("spring.data.redis.host", TestStores::redisHost);
		registry.add("spring.data.redis.port", TestStores::redisPort);
		String prefix = TestStores.newKeyPrefix();
		registry.add("stockrecon.redis.key-prefix", () -> prefix);
	}

}
