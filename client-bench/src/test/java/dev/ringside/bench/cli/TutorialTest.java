package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.ringside.bench.compare.ServerChild;
import dev.ringside.bench.verdict.ExitStatus;
import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code docs/tutorial.md}: every {@code ./ringside} line of its {@code ```sh} blocks, in the order a
 * student meets them, failing on the first command that exits non-zero or that this test does not know how
 * to run — so a renamed option, a removed model or a new kind of command in the guide fails the build.
 *
 * <p>How each command runs:
 * <ul>
 *   <li>{@code server}: a child JVM (this JVM's flags and class path; a {@code JAVA_HOME=...} prefix picks that
 *   JDK's {@code java}), started as {@link ServerChild} and stopped by its PID. <b>Ports:</b> the guide names
 *   fixed ports ({@code --tcp 127.0.0.1:5000}) so a student can type them; the test binds port 0 instead and
 *   reads the real ports from the server's {@code listening tcp|udp} lines, then maps each port of the guide
 *   to the real one, per transport. Later commands name the guide's port and get the real one (a client or
 *   bench with {@code --udp} the UDP one). A server started on a port of the guide that a running server
 *   holds stops that server first, as the student's Ctrl-C in terminal A does. Every server command must name
 *   its {@code --tcp}: the default (port 5000) could collide with anything else on the machine.</li>
 *   <li>{@code client}: in this JVM, one typed line on stdin then end of input, must end with status 0.</li>
 *   <li>{@code stat}: in this JVM, {@code --once} on the latest server's PID (live mode refreshes until
 *   Ctrl-C; without a PID it would pick any server of this user, such as another build's).</li>
 *   <li>{@code bench}, {@code sweep} and {@code compare}: in this JVM, loads shortened by rewriting
 *   {@code --duration} to {@value #SHORT_DURATION}, {@code --warmup} to {@value #SHORT_WARMUP} and
 *   {@code --timeout} (which bounds how long a starved cell drains) to {@value #SHORT_TIMEOUT}; connection
 *   counts, rates and models are run as written, which is why the guide keeps them small. {@code bench} and
 *   {@code sweep} get {@code --no-progress} (a sweep may also end 3, no rate met its objective, on a loaded
 *   machine); {@code compare} gets {@code --no-pin} (pinning would move this test JVM's generator threads for
 *   the rest of the build) and its server logs in a temporary directory. A {@code --java} that is not
 *   installed skips that one command, with a note.</li>
 * </ul>
 * Outputs are not asserted beyond the exit status (the other tests own behaviour); a server that died is a
 * failure with its last line of output.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TutorialTest {
    private static final String SHORT_DURATION = "300ms";
    private static final String SHORT_WARMUP = "100ms";
    private static final String SHORT_TIMEOUT = "300ms";
    private static final String TYPED_LINE = "hello from the tutorial test\n";

    @TempDir
    Path dir;

    /** Running servers by the guide's (first) TCP port. */
    private final Map<Integer, ServerChild> servers = new LinkedHashMap<>();
    /** The guide's ports mapped to the real ones, by transport. */
    private final Map<Integer, Integer> tcpPorts = new HashMap<>();
    private final Map<Integer, Integer> udpPorts = new HashMap<>();
    private ServerChild latest;
    private int serverCount;

    /** One command of the guide: environment assignments, then the ringside arguments. */
    record DocCommand(int line, Map<String, String> environment, List<String> args) {
        @Override
        public String toString() {
            return "docs/tutorial.md:" + line + ": ringside " + String.join(" ", args);
        }
    }

    @AfterEach
    void stopServers() {
        for (final ServerChild child : servers.values()) {
            child.stop();
        }
    }

    @Test
    void shouldRunEveryCommandOfTheTutorial() throws Exception {
        final List<DocCommand> commands = commands(Files.readAllLines(tutorial(), StandardCharsets.UTF_8));
        assertTrue(commands.size() >= 20, "the guide has its commands: " + commands);
        boolean skipping = false;
        for (final DocCommand command : commands) {
            final String kind = command.args().get(0);
            if (kind.equals("server")) {
                skipping = !startServer(command);
                continue;
            }
            if (skipping) {
                System.out.println("tutorial: skipped (its server was skipped) " + command);
                continue;
            }
            final long startNs = System.nanoTime();
            switch (kind) {
                case "client" -> runClient(command);
                case "stat" -> runStat(command);
                case "bench" -> runBench(command);
                case "compare" -> runCompare(command);
                case "sweep" -> runSweep(command);
                default -> fail(command + ": the tutorial test does not know how to run '" + kind
                    + "'; teach TutorialTest before documenting it");
            }
            System.out.printf("tutorial: ok in %d ms: %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs),
                command);
            checkAlive(command);
        }
        assertTrue(serverCount >= 9, "every step started its server");
    }

    /**
     * Finds the commands: lines of {@code ```sh} blocks that run {@code ./ringside} (or {@code ringside}),
     * after optional {@code NAME=value} assignments; a line ending in a backslash continues on the next.
     *
     * @param lines the guide
     * @return its commands in order
     */
    static List<DocCommand> commands(final List<String> lines) {
        final List<DocCommand> commands = new ArrayList<>();
        boolean inShell = false;
        boolean inOther = false;
        for (int i = 0; i < lines.size(); i++) {
            final String line = lines.get(i).strip();
            if (line.startsWith("```")) {
                if (inShell || inOther) {
                    inShell = false;
                    inOther = false;
                } else {
                    inShell = line.equals("```sh");
                    inOther = !inShell;
                }
                continue;
            }
            if (!inShell || line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            final int first = i + 1;
            final StringBuilder text = new StringBuilder(line);
            while (text.charAt(text.length() - 1) == '\\' && i + 1 < lines.size()) {
                text.setLength(text.length() - 1);
                text.append(' ').append(lines.get(++i).strip());
            }
            commands.add(parse(first, text.toString()));
        }
        return commands;
    }

    private static DocCommand parse(final int line, final String text) {
        if (text.contains("'") || text.contains("\"") || text.contains("|") || text.contains("$")) {
            fail("docs/tutorial.md:" + line + ": a runnable command must be plain words (no quotes, pipes or $): "
                + text);
        }
        final List<String> words = new ArrayList<>(List.of(text.split("\\s+")));
        final Map<String, String> environment = new LinkedHashMap<>();
        while (!words.isEmpty() && words.get(0).matches("[A-Z_]+=.*")) {
            final String word = words.remove(0);
            environment.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
        }
        if (words.isEmpty() || !(words.get(0).equals("./ringside") || words.get(0).equals("ringside"))) {
            fail("docs/tutorial.md:" + line + ": a ```sh block holds only ringside commands "
                + "(put other commands in the text): " + text);
        }
        words.remove(0);
        if (words.isEmpty()) {
            fail("docs/tutorial.md:" + line + ": ringside without a command");
        }
        return new DocCommand(line, environment, words);
    }

    private static Path tutorial() {
        final Path fromModule = Path.of("..", "docs", "tutorial.md");
        return Files.exists(fromModule) ? fromModule : Path.of("docs", "tutorial.md");
    }

    // ---- servers

    /** @return false when the command was skipped (its JDK is not installed) */
    private boolean startServer(final DocCommand command) throws IOException {
        final String java = java(command);
        if (java == null) {
            return false;
        }
        final List<String> args = new ArrayList<>(command.args());
        final List<Integer> docTcp = new ArrayList<>();
        final List<Integer> docUdp = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            final String option = optionName(args.get(i));
            if (!option.equals("--tcp") && !option.equals("--udp")) {
                continue;
            }
            final boolean inline = args.get(i).contains("=");
            final int valueAt = inline ? i : i + 1;
            final String value = inline ? args.get(i).substring(args.get(i).indexOf('=') + 1) : args.get(valueAt);
            final int colon = value.lastIndexOf(':');
            (option.equals("--tcp") ? docTcp : docUdp).add(Integer.parseInt(value.substring(colon + 1)));
            final String anyPort = value.substring(0, colon) + ":0";
            args.set(valueAt, inline ? option + "=" + anyPort : anyPort);
        }
        if (docTcp.isEmpty()) {
            fail(command + ": a server in the guide names its --tcp address");
        }
        for (final int port : docTcp) {
            final ServerChild previous = servers.remove(port);
            if (previous != null) {
                previous.stop();
            }
        }
        final List<String> full = new ArrayList<>(ServerChild.ringsideCommand(java));
        full.addAll(args);
        final ServerChild child = ServerChild.start(full, dir.resolve("server-" + ++serverCount + ".log"));
        servers.put(docTcp.get(0), child);
        latest = child;
        final List<String> listening = awaitListening(child, docTcp.size() + docUdp.size(), command);
        int tcpIndex = 0;
        int udpIndex = 0;
        for (final String line : listening) {
            final String[] words = line.split(" ");
            final int port = Integer.parseInt(words[2].substring(words[2].lastIndexOf(':') + 1));
            if (words[1].equals("tcp")) {
                tcpPorts.put(docTcp.get(tcpIndex++), port);
            } else {
                udpPorts.put(docUdp.get(udpIndex++), port);
            }
        }
        System.out.println("tutorial: started pid " + child.pid() + " " + listening + ": " + command);
        return true;
    }

    /** Polls the log until every address has its {@code listening} line (TCP and UDP come in any order). */
    private static List<String> awaitListening(final ServerChild child, final int addresses, final DocCommand command) {
        final long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ServerChild.START_TIMEOUT_MS);
        while (System.nanoTime() - deadlineNs < 0) {
            final List<String> listening = new ArrayList<>();
            for (final String line : child.logLines()) {
                if (line.startsWith("listening tcp ") || line.startsWith("listening udp ")) {
                    listening.add(line);
                }
            }
            if (listening.size() >= addresses) {
                return listening;
            }
            assertTrue(child.process().isAlive(), command + ": the server exited: " + child.lastLine());
            try {
                child.process().waitFor(20, TimeUnit.MILLISECONDS); // returns early if the child exits
            } catch (final InterruptedException ex) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
        return fail(command + ": the server did not print all its listening lines: " + child.lastLine());
    }

    private void checkAlive(final DocCommand after) {
        if (latest != null) {
            assertTrue(latest.process().isAlive(), after + " ran, and the server died: " + latest.lastLine());
        }
    }

    /** @return the java for this command, or null (with a note) when its JAVA_HOME is not installed */
    private static String java(final DocCommand command) {
        final String home = command.environment().get("JAVA_HOME");
        for (final String name : command.environment().keySet()) {
            assertEquals("JAVA_HOME", name, command + ": the only environment a guide command may set");
        }
        if (home == null) {
            return ServerChild.currentJava();
        }
        final Path java = Path.of(home, "bin", "java");
        if (!Files.isExecutable(java)) {
            System.out.println("tutorial: skipped, " + java + " is not installed: " + command);
            return null;
        }
        return java.toString();
    }

    // ---- the other commands, in this JVM

    private void runClient(final DocCommand command) {
        final List<String> args = new ArrayList<>(command.args());
        final boolean udp = args.contains("--udp");
        for (int i = 1; i < args.size(); i++) {
            if (!args.get(i).startsWith("-") && (i == 1 || !optionTakesValue(args.get(i - 1)))) {
                args.set(i, realAddress(args.get(i), udp, command));
            }
        }
        if (udp) {
            args.addAll(List.of("--linger", "2s")); // the echo of the last line may still be in flight at end of input
        }
        final String out = runInProcess(command, args, TYPED_LINE);
        // Echo sends the typed line back; discard sends nothing; a chat never sends a member its own line (with
        // names it sends the server's own lines: the welcome).
        final String protocol = latest.logLines().stream().filter(line -> line.startsWith("listening "))
            .map(line -> line.substring(line.lastIndexOf(' ') + 1)).findFirst().orElse("?");
        switch (protocol) {
            case "echo" -> assertEquals(TYPED_LINE, out, command + ": the echo");
            case "discard" -> assertEquals("", out, command + ": discard answers nothing");
            case "chat" -> assertFalse(out.contains(TYPED_LINE), command + ": a member's own line came back: " + out);
            default -> fail(command + ": a client against '" + protocol + "'; say here what it should get back");
        }
    }

    private void runStat(final DocCommand command) {
        final List<String> args = new ArrayList<>(command.args());
        final boolean pidGiven = args.stream().skip(1).anyMatch(word -> word.matches("\\d+"));
        if (!args.contains("--once")) {
            args.add("--once");
        }
        if (!pidGiven) {
            args.add(Long.toString(latest.pid()));
        }
        final String out = runInProcess(command, args, null);
        assertTrue(out.contains("connections accepted"), command + ": " + out);
    }

    private void runCompare(final DocCommand command) {
        final List<String> args = shortened(command, "--no-pin");
        final int java = args.indexOf("--java");
        if (java >= 0 && !Files.isExecutable(Path.of(args.get(java + 1)))) {
            System.out.println("tutorial: skipped, " + args.get(java + 1) + " is not installed: " + command);
            return;
        }
        args.addAll(List.of("--logs", dir.resolve("compare-" + command.line()).toString()));
        runInProcess(command, args, null);
    }

    /**
     * A bench, shortened. Exit 1 passes only for a rate shortfall and nothing else: on a build machine with
     * a load average of 20, a 300 ms run of 1,000 connections at 20k msg/s can fall short, which is the verdict
     * working; errors, protocol trouble or a stack trace still fail.
     */
    private void runBench(final DocCommand command) {
        final String out = runInProcess(command, shortened(command, "--no-progress"), null, ExitStatus.FAILED);
        final String verdict = out.lines().filter(line -> line.startsWith("verdict: ")).reduce((a, b) -> b)
            .orElse("");
        assertTrue(!verdict.startsWith("verdict: FAILED") || verdict.matches("verdict: FAILED \\(exit 1\\): achieved "
            + "rate [0-9.]+% of the target \\(below 99%\\)"), command + ": " + out);
    }

    /**
     * A sweep, shortened as bench is. Exit 3 (no rate met the objective) passes too: on a loaded build machine
     * a 300 ms step can miss p99 = 1 ms at any rate, and a measured miss is the command working.
     */
    private void runSweep(final DocCommand command) {
        final List<String> args = shortened(command, "--no-progress");
        final String out = runInProcess(command, args, null, ExitStatus.SLO_MISSED);
        assertTrue(out.contains("target/s") && out.contains("verdict: "), command + ": " + out);
    }

    /** The command with shortened load, its target mapped to the real port, and {@code extra} appended. */
    private List<String> shortened(final DocCommand command, final String extra) {
        final List<String> args = new ArrayList<>(command.args());
        final boolean udp = args.contains("--udp");
        for (int i = 1; i < args.size(); i++) {
            final String option = optionName(args.get(i));
            final String replacement = switch (option) {
                case "--duration", "-d" -> SHORT_DURATION;
                case "--warmup" -> SHORT_WARMUP;
                case "--timeout" -> SHORT_TIMEOUT;
                case "--target" -> realAddress(value(args, i), udp, command);
                default -> null;
            };
            if (replacement != null) {
                if (args.get(i).contains("=")) {
                    args.set(i, option + "=" + replacement);
                } else {
                    args.set(++i, replacement);
                }
            }
        }
        args.add(extra);
        return args;
    }

    private String realAddress(final String docAddress, final boolean udp, final DocCommand command) {
        final int colon = docAddress.lastIndexOf(':');
        final int docPort = Integer.parseInt(docAddress.substring(colon + 1));
        final Integer real = (udp ? udpPorts : tcpPorts).get(docPort);
        if (real == null) {
            fail(command + ": no server of the guide listens on " + (udp ? "udp " : "tcp ") + docAddress);
        }
        return docAddress.substring(0, colon) + ":" + real;
    }

    private static String value(final List<String> args, final int i) {
        final String word = args.get(i);
        return word.contains("=") ? word.substring(word.indexOf('=') + 1) : args.get(i + 1);
    }

    private static String optionName(final String word) {
        final int equals = word.indexOf('=');
        return equals < 0 ? word : word.substring(0, equals);
    }

    private static boolean optionTakesValue(final String word) {
        return word.startsWith("--") && !word.contains("=") && !word.equals("--udp");
    }

    /**
     * Runs a command of the {@code ringside} command line in this JVM and asserts it exits 0.
     *
     * @param command what the guide says (for messages)
     * @param args    the arguments to run
     * @param input   standard input, or null for none
     * @return its standard output
     */
    private static String runInProcess(final DocCommand command, final List<String> args, final String input) {
        return runInProcess(command, args, input, ExitStatus.CLEAN);
    }

    /**
     * @param alsoFine an exit status accepted besides 0
     */
    private static String runInProcess(final DocCommand command, final List<String> args, final String input,
        final int alsoFine) {
        final PrintStream savedOut = System.out;
        final PrintStream savedErr = System.err;
        final InputStream savedIn = System.in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        final StringWriter err = new StringWriter();
        final int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream((input == null ? "" : input).getBytes(StandardCharsets.UTF_8)));
            final CommandLine commandLine = CommandLauncher.commandLine(new RingsideCommand());
            commandLine.setErr(new PrintWriter(err, true));
            status = commandLine.execute(args.toArray(String[]::new));
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            System.setIn(savedIn);
        }
        final String printed = out.toString(StandardCharsets.UTF_8);
        final int expected = status == alsoFine ? alsoFine : 0;
        assertEquals(expected, status, () -> command + " (run as: ringside " + String.join(" ", args) + ") exited "
            + status + ":\n" + err + errBytes.toString(StandardCharsets.UTF_8) + printed);
        assertFalse(printed.contains("\tat "), command + ": a stack trace");
        return printed;
    }
}
