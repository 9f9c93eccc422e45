package dev.ringside.bench.command;

import java.nio.file.Path;

import dev.ringside.bench.process.OutputPaths;
import picocli.CommandLine.Option;

/**
 * {@code --report FILE.html}, declared once for {@code bench}, {@code sweep} and {@code compare}. A picocli
 * mixin; each command's wording of its help is in {@code OptionHelp.properties}, bench's being the default.
 */
public final class ReportFile {
    @Option(names = "--report", paramLabel = "FILE.html", descriptionKey = "report",
        description = "write a self-contained HTML report here")
    Path file;

    /**
     * @return the file, or {@code null} when not given
     * @throws IllegalArgumentException when it cannot be written (checked before the run, not after it)
     */
    public Path checked() {
        OutputPaths.checkFile("--report", file);
        return file;
    }
}
