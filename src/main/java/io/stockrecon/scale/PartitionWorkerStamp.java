package io.stockrecon.scale;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

/**
 * Records in each partition's execution context which process ran it ({@code pid@host}),
 * so that the job repository tells which worker took which partition.
 */
class PartitionWorkerStamp implements StepExecutionListener {

	static final String WORKER = "stockrecon.worker";

	private static final String PROCESS = ProcessHandle.current().pid() + "@" + hostName();

	@Override
	public void beforeStep(StepExecution stepExecution) {
		stepExecution.getExecutionContext().putString(WORKER, PROCESS);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (UnknownHostException ex) {
			return "unknown-host";
		}
	}

}
