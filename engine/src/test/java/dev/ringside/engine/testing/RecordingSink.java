package dev.ringside.engine.testing;

import java.util.ArrayList;
import java.util.List;

import dev.ringside.engine.protocol.ReplyFault;
import dev.ringside.engine.protocol.ReplySink;


/** Collects what a codec decoded. */
public final class RecordingSink implements ReplySink {
    public final List<Long> seqs = new ArrayList<>();
    public final List<ReplyFault> errors = new ArrayList<>();
    public final List<long[]> deliveries = new ArrayList<>();
    public final List<Integer> statuses = new ArrayList<>();
    public int foreign;
    public boolean accept = true;

    @Override
    public boolean onReply(final long seq, final ReplyFault error) {
        seqs.add(seq);
        errors.add(error);
        return accept;
    }

    @Override
    public void onDelivery(final int publisher, final long seq, final long intendedNs, final long sentNs,
        final ReplyFault error) {
        deliveries.add(new long[] {publisher, seq, intendedNs, sentNs});
        errors.add(error);
    }

    @Override
    public void onStatus(final int status) {
        statuses.add(status);
    }

    @Override
    public void onForeignLine() {
        foreign++;
    }

    public long errorCount() {
        return errors.stream().filter(e -> e != null).count();
    }
}
