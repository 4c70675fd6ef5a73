"""Every change in training and recruitment: one function per use case, one transaction,
policy → lifecycle → change → audit → outbox."""
