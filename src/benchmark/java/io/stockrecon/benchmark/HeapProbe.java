package io.stockrecon.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

/**
 * Asks the job's JVM for a full collection, through the attach API and JMX, so that its
 * GC log shows what the job really keeps alive at that moment.
 * <p>
 * The heap after an ordinary young collection is no such figure: G1 lets promoted garbage
 * pile up in the old generation until a concurrent cycle, so that figure climbs with the
 * run's length whether or not the job holds on to anything. A forced full collection
 * every few seconds costs the job a pause of tens of milliseconds.
 */
final class HeapProbe implements AutoCloseable {

	private final JMXConnector connector;

	private final MemoryMXBean memory;

	private HeapProbe(JMXConnector connector, MemoryMXBean memory) {
		this.connector = connector;
		this.memory = memory;
	}

	/** Connects to a running JVM; {@code null} while it is not ready to be attached. */
	static HeapProbe attach(long pid) {
		try {
			VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
			String address;
			try {
				address = vm.startLocalManagementAgent();
			}
			finally {
				vm.detach();
			}
			JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
			MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
					ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
			return new HeapProbe(connector, memory);
		}
		catch (AttachNotSupportedException | IOException | RuntimeException ex) {
			return null;
		}
	}

	/** A full collection in the job's JVM; false once the JVM is gone. */
	boolean collect() {
		try {
			this.memory.gc();
			return true;
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		try {
			this.connector.close();
		}
		catch (IOException ex) {
			// the JVM has exited
		}
	}

}
