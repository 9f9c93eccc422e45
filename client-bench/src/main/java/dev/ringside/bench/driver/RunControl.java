package dev.ringside.bench.driver;

/**
 * How the reporting thread steers the generator threads: when load starts, and when to stop. Written by
 * one thread, read by the loop threads once per duty cycle (a volatile read each).
 */
public final class RunControl {
    private volatile long loadStartNs;
    private volatile boolean loadStarted;
    private volatile boolean stopRequested;
    private volatile boolean sendingStopped;

    /**
     * Starts the load: the first message is intended at {@code startNs}.
     *
     * @param startNs on the generator's clock
     */
    public void startLoad(final long startNs) {
        this.loadStartNs = startNs;
        this.loadStarted = true;
    }

    /** @return whether {@link #startLoad} was called */
    public boolean isLoadStarted() {
        return loadStarted;
    }

    /** @return the intended time of the first message (valid once started) */
    public long loadStartNs() {
        return loadStartNs;
    }

    /** Asks the loop threads to send nothing more (an interrupted run); replies are still read. */
    public void stopSending() {
        sendingStopped = true;
    }

    /** @return whether {@link #stopSending} was called */
    public boolean isSendingStopped() {
        return sendingStopped;
    }

    /** Asks the loop threads to finish: count what is still outstanding, close, and return. */
    public void requestStop() {
        stopRequested = true;
    }

    /** @return whether {@link #requestStop} was called */
    public boolean isStopRequested() {
        return stopRequested;
    }
}
