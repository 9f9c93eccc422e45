package dev.ringside.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.ringside.engine.model.ServerModel;

/**
 * A server child's settings, rendered to the {@code ringside server} command that starts it: one value for
 * every command that starts a server of its own ({@code compare} for each model, {@code demo} and its prefork
 * form), so that none writes a server command line by hand. The child always listens on a free loopback port
 * ({@code --tcp 127.0.0.1:0}, read back by {@link ServerChild}) and publishes no counters file.
 *
 * @param model             the model, or {@code null} for the server's default (the selector loop)
 * @param protocol          the protocol's name
 * @param protocolOptions   its server options as typed (each long name with its texts; a switch has "true")
 * @param modelSize         the model's size: pool threads, process workers or multi loops; 0 for the server's
 *                          default (only those three models take one)
 * @param processes         prefork worker processes ({@code --processes}); 0 for none
 * @param ringCapacityBytes {@code --ring-capacity}; 0 for the server's default
 * @param poolBytes         {@code --pool-size}; 0 for the server's default
 * @param grace             {@code --grace}, how long the stop lets output drain
 */
public record ServerLaunch(ServerModel model, String protocol, Map<String, List<String>> protocolOptions,
    int modelSize, int processes, int ringCapacityBytes, long poolBytes, String grace) {

    /**
     * @param protocol the protocol's name
     * @param grace    {@code --grace}
     * @return the default server (one selector loop) serving it, every other setting its default
     */
    public static ServerLaunch of(final String protocol, final String grace) {
        return new ServerLaunch(null, protocol, Map.of(), 0, 0, 0, 0, grace);
    }

    /**
     * @param count prefork worker processes
     * @return this server, as that many processes
     */
    public ServerLaunch processes(final int count) {
        return new ServerLaunch(model, protocol, protocolOptions, modelSize, count, ringCapacityBytes, poolBytes,
            grace);
    }

    /** @return the {@code server} command and its options */
    public List<String> arguments() {
        final List<String> args = new ArrayList<>(List.of("server"));
        if (model != null) {
            args.addAll(List.of("--model", model.label()));
        }
        args.addAll(List.of("--protocol", protocol, "--tcp", "127.0.0.1:0", "--no-counters-file", "--grace", grace));
        if (ringCapacityBytes > 0) {
            args.addAll(List.of("--ring-capacity", Integer.toString(ringCapacityBytes)));
        }
        if (poolBytes > 0) {
            args.addAll(List.of("--pool-size", Long.toString(poolBytes)));
        }
        if (modelSize > 0) {
            args.addAll(List.of(sizeOption(model), Integer.toString(modelSize)));
        }
        if (processes > 0) {
            args.addAll(List.of("--processes", Integer.toString(processes)));
        }
        for (final Map.Entry<String, List<String>> option : protocolOptions.entrySet()) {
            for (final String text : option.getValue()) {
                // "--name=value": a value starting with '-' stays a value; a switch is its name alone.
                args.add("true".equals(text) ? option.getKey() : option.getKey() + "=" + text);
            }
        }
        return args;
    }

    /**
     * @param java the {@code java} for the server
     * @param cpus the CPU list to pin it to ({@code taskset -c}), or {@code null} for none
     * @return the whole command that starts it
     */
    public List<String> command(final String java, final String cpus) {
        final List<String> command = new ArrayList<>();
        if (cpus != null) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.addAll(ServerChild.ringsideCommand(java));
        command.addAll(arguments());
        return command;
    }

    private static String sizeOption(final ServerModel model) {
        if (model == ServerModel.POOL) {
            return "--threads";
        }
        if (model == ServerModel.PROCESS) {
            return "--workers";
        }
        if (model == ServerModel.MULTI) {
            return "--loops";
        }
        throw new IllegalArgumentException("the " + (model == null ? "default" : model.label())
            + " model takes no size");
    }
}
