package dev.ringside.engine.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One worker process of the process model: the OS process, and a thread that reads its standard output. The
 * worker's {@code listening ...} lines tell the supervisor where it listens; every other line (for example
 * {@code discard --print} output) is passed on, prefixed with the worker's number. Its standard error is
 * inherited, so its own one-line errors reach the user as they are.
 */
final class WorkerProcess {
    private static final String LISTENING = "listening ";
    /** Marks the end of the worker's output in the queue of listening lines. */
    private static final String END = "";

    private final int slot;
    private final Process process;
    private final PrintStream out;
    // Unbounded in type, bounded in use: a worker prints one line per address it binds.
    private final LinkedBlockingQueue<String> listening = new LinkedBlockingQueue<>();

    private WorkerProcess(final int slot, final Process process, final PrintStream out) {
        this.slot = slot;
        this.process = process;
        this.out = out;
    }

    /**
     * Starts a worker.
     *
     * @param slot    its number
     * @param command its command line
     * @param out     where its other output goes
     * @return the running worker
     * @throws IOException when the process cannot be started
     */
    static WorkerProcess start(final int slot, final List<String> command, final PrintStream out)
        throws IOException {
        final Process process = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
        final WorkerProcess worker = new WorkerProcess(slot, process, out);
        final Thread reader = new Thread(worker::readOutput, "ringside-worker-" + slot + "-output");
        reader.setDaemon(true);
        reader.start();
        return worker;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith(LISTENING)) {
                    listening.add(line);
                } else {
                    out.println("[worker " + slot + "] " + line);
                }
            }
        } catch (final IOException ex) {
            // the pipe broke: the worker is gone, which awaitListening and the exit watch report
        } finally {
            listening.add(END);
        }
    }

    /**
     * Waits until the worker listens on all its addresses.
     *
     * @param tcpCount   TCP addresses it was given
     * @param udpCount   UDP addresses it was given
     * @param deadlineNs {@link System#nanoTime()} to give up at
     * @return the bound addresses: TCP ones first, then UDP, in the order given
     * @throws IOException when the worker exits or stays silent too long
     * @throws InterruptedException if interrupted
     */
    List<InetSocketAddress> awaitListening(final int tcpCount, final int udpCount, final long deadlineNs)
        throws IOException, InterruptedException {
        final List<InetSocketAddress> tcp = new ArrayList<>();
        final List<InetSocketAddress> udp = new ArrayList<>();
        while (tcp.size() < tcpCount || udp.size() < udpCount) {
            final String line = listening.poll(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IOException("worker " + slot + " (pid " + pid() + ") was not listening in time");
            }
            if (END.equals(line)) {
                final boolean exited = process.waitFor(5, TimeUnit.SECONDS);
                throw new IOException("worker " + slot + " (pid " + pid() + ") "
                    + (exited ? "exited with status " + process.exitValue() : "closed its output")
                    + " before listening (its error, if any, is above)");
            }
            // "listening tcp 127.0.0.1:5000 protocol echo"
            final String[] words = line.split(" ");
            final InetSocketAddress address = parse(words[2]);
            if ("tcp".equals(words[1])) {
                tcp.add(address);
            } else {
                udp.add(address);
            }
        }
        final List<InetSocketAddress> all = new ArrayList<>(tcp);
        all.addAll(udp);
        return all;
    }

    private static InetSocketAddress parse(final String text) throws IOException {
        final int colon = text.lastIndexOf(':');
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        // The host is numeric (the worker prints addresses), so this does no name lookup.
        return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(text.substring(colon + 1)));
    }

    /** @return the worker's number */
    int slot() {
        return slot;
    }

    /** @return its process id */
    long pid() {
        return process.pid();
    }

    /** @return the process */
    Process process() {
        return process;
    }

    /** Asks it to stop (SIGTERM): it stops accepting, flushes within its grace period, and exits. */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits for it to exit; kills it (SIGKILL) when the deadline passes first.
     *
     * @param deadlineNs {@link System#nanoTime()} to stop waiting at
     * @throws InterruptedException if interrupted
     */
    void awaitExitOrKill(final long deadlineNs) throws InterruptedException {
        if (!process.waitFor(Math.max(0, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
