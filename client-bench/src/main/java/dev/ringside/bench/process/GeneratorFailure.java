package dev.ringside.bench.process;

import dev.ringside.bench.verdict.ExitStatus;
import picocli.CommandLine;

/**
 * The generator cannot do the run on this machine (too few file descriptors or source ports): one line,
 * exit status {@link ExitStatus#GENERATOR_FAILED}.
 */
public final class GeneratorFailure extends IllegalStateException implements CommandLine.IExitCodeGenerator {
    private static final long serialVersionUID = 1L;

    public GeneratorFailure(final String message) {
        super(message);
    }

    @Override
    public int getExitCode() {
        return ExitStatus.GENERATOR_FAILED;
    }
}
