package dev.ringside.bench.command;

import java.nio.file.Path;

import dev.ringside.bench.process.OutputPaths;
import picocli.CommandLine.Option;

/**
 * {@code --json FILE}, declared once for {@code bench}, {@code sweep}, {@code compare} and {@code merge}. A picocli
 * mixin; what each command writes there is said in its help by {@code OptionHelp.properties} (key
 * {@code ringside.COMMAND.json}), bench's wording being the default.
 */
public final class JsonFile {
    @Option(names = "--json", paramLabel = "FILE", descriptionKey = "json", description = "write the JSON summary here")
    Path file;

    /**
     * @return the file, or {@code null} when not given
     * @throws IllegalArgumentException when it cannot be written (checked before the run, not after it)
     */
    public Path checked() {
        OutputPaths.checkFile("--json", file);
        return file;
    }
}
