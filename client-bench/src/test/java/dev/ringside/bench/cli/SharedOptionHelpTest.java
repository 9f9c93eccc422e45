package dev.ringside.bench.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ResourceBundle;

import dev.ringside.bench.command.CommandLauncher;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The options several commands share through one mixin ({@code --json}, {@code --report}, {@code --slo},
 * {@code --no-progress}) keep each command's own help: what the option does there. Catches the bundle not being
 * found (every command would show bench's wording) and a key that names no command's option (tried: a typo in
 * {@code ringside.sweep.slo}).
 */
class SharedOptionHelpTest {
    private static String help(final String command) {
        final CommandLine ringside = CommandLauncher.commandLine(new RingsideCommand());
        return ringside.getSubcommands().get(command).getUsageMessage(CommandLine.Help.Ansi.OFF)
            .replaceAll("\\s+", " ");
    }

    @Test
    void shouldShowEachCommandsOwnWordingOfASharedOption() {
        final ResourceBundle bundle = ResourceBundle.getBundle("dev.ringside.bench.command.OptionHelp");
        for (final String key : bundle.keySet()) {
            final String[] parts = key.split("\\.");
            final String command = parts[1];
            final String option = "--" + parts[2];
            // The text up to a "(default: ...)", which picocli fills in.
            final String text = bundle.getString(key).replace("%%", "%").replaceAll("\\s+", " ")
                .replaceFirst(" \\(default: \\$\\{DEFAULT-VALUE}\\)$", "");
            final String shown = help(command);
            assertTrue(shown.contains(option) && shown.contains(text), command + " " + option + " shows '" + text
                + "' in:\n" + shown);
        }
    }

    @Test
    void shouldShowBenchsWordingWhereACommandHasNoneOfItsOwn() {
        final String bench = help("bench");
        for (final String text : List.of("write the JSON summary here", "write a self-contained HTML report here",
            "check at the end, exit 3 when missed", "no progress line on stderr")) {
            assertTrue(bench.contains(text), text + " in:\n" + bench);
        }
        assertTrue(help("demo").contains("--no-progress no progress line on stderr"));
        assertTrue(!help("sweep").contains("check at the end, exit 3"), "sweep's --slo searches, it does not judge");
    }
}
