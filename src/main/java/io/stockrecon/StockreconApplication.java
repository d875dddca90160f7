package io.stockrecon;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import io.stockrecon.cli.StockreconCli;

/**
 * stockrecon: restores stock for cancelled and deleted orders exactly once, in PostgreSQL
 * and Redis. See {@link StockreconCli} for the command line.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class StockreconApplication {

	public static void main(String[] args) {
		System.exit(StockreconCli.run(StockreconApplication.class, args, System.out, System.err));
	}

}
