package io.stockrecon.cli;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/**
 * {@code worker}: runs partitions until the JVM is told to stop (SIGTERM, Ctrl-C).
 * Spring's shutdown hook closes the context, which stops taking messages and lets the
 * running partition end.
 */
@Command(name = "worker", sortOptions = false,
		description = { "A long-lived worker JVM: runs the partitions that 'run --remote' sends over RabbitMQ "
				+ "(spring.rabbitmq.*), until stopped." })
class WorkerCommand implements Callable<Integer> {

	private final Startup startup;

	@Mixin
	CommonOptions common;

	WorkerCommand(Startup startup) {
		this.startup = startup;
	}

	@Override
	public Integer call() throws InterruptedException {
		CountDownLatch closed = new CountDownLatch(1);
		ConfigurableApplicationContext context = this.startup.start(
				new SpringApplicationBuilder(this.startup.application())
					.listeners((ApplicationListener<ContextClosedEvent>) (event) -> closed.countDown()),
				this.common, List.of("--stockrecon.scale.role=worker"));
		this.startup.out()
			.printf("Worker %d listening for partitions on queue '%s'.%n", ProcessHandle.current().pid(),
					context.getEnvironment().getProperty("stockrecon.scale.queue"));
		closed.await();
		return ExitCode.COMPLETED;
	}

}
