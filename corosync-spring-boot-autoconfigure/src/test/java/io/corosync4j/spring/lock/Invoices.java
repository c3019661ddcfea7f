package io.corosync4j.spring.lock;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

/** The lock example of {@code docs/spring-boot.md}; {@link LockDocsTests} runs it. */
// tag::invoices[]
@Component
class Invoices {

	private final CorosyncLockRegistry locks;

	private final InvoiceStore store;

	Invoices(CorosyncLockRegistry locks, InvoiceStore store) {
		this.locks = locks;
		this.store = store;
	}

	void close(String customer) {
		CorosyncLock lock = this.locks.obtain("invoices/" + customer);    // the resource spring:invoices/<customer>
		lock.lock();                                  // one thread of the whole cluster at a time
		try {
			this.store.close(customer, lock.fencingToken());              // the store refuses older tokens
		}
		finally {
			lock.unlock();                            // ConcurrentModificationException if the lock was lost
		}
	}

	void report() throws InterruptedException, TimeoutException {
		this.locks.executeLocked("invoices/report", Duration.ofSeconds(10), this.store::report);
	}

}
// end::invoices[]
