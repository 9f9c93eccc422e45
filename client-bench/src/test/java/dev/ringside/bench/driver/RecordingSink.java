package dev.ringside.bench.driver;

import java.util.ArrayList;
import java.util.List;

import dev.ringside.bench.record.ErrorKind;

/** Collects what a codec decoded. */
final class RecordingSink implements ReplySink {
    final List<Long> seqs = new ArrayList<>();
    final List<ErrorKind> errors = new ArrayList<>();
    final List<long[]> deliveries = new ArrayList<>();
    int foreign;
    boolean accept = true;

    @Override
    public boolean onReply(final long seq, final ErrorKind error) {
        seqs.add(seq);
        errors.add(error);
        return accept;
    }

    @Override
    public void onDelivery(final int publisher, final long seq, final long intendedNs, final long sentNs,
        final ErrorKind error) {
        deliveries.add(new long[] {publisher, seq, intendedNs, sentNs});
        errors.add(error);
    }

    @Override
    public void onForeignLine() {
        foreign++;
    }

    long errorCount() {
        return errors.stream().filter(e -> e != null).count();
    }
}
