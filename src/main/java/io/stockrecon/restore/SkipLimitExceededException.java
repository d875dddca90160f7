package io.stockrecon.restore;

/**
 * More bad items than {@code stockrecon.restore.skip-limit} allows: the data needs a look
 * before the job goes on.
 */
class SkipLimitExceededException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	SkipLimitExceededException(long skipped, long limit) {
		super("%d items were skipped in this execution, more than stockrecon.restore.skip-limit=%d; see stockrecon_skipped_items for the reasons"
			.formatted(skipped, limit));
	}

}
