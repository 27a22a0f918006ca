package dev.flin.runtime.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;

/**
 * The registry: every group of settings a program reads, parsed at once from (highest first)
 * command-line flags, system properties {@code flin.<name>}, environment variables
 * {@code FLIN_<NAME>} (then a group's legacy prefixes), the properties file named by
 * {@code --config} (keys are flag names without the dashes), and the defaults.
 *
 * <p>Besides the declared settings it knows three flags of its own: {@code --config <file>},
 * {@code --help} (also {@code -h}) and {@code --version}. An unknown flag, or an unknown key in the
 * file, is an error that suggests the closest known names across every group.
 *
 * <p>Threading: an immutable value; {@link #parse} is a pure function of its arguments (and of the
 * file it names), callable from any thread.
 */
public final class Settings {

    /** The flag naming a properties file. */
    public static final String CONFIG_FLAG = "--config";
    /** The flag asking for the help text. */
    public static final String HELP_FLAG = "--help";
    /** The flag asking for the version. */
    public static final String VERSION_FLAG = "--version";

    private final String program;
    private final List<SettingGroup> groups;
    private final Map<String, Setting<?>> byName;
    private final Map<Setting<?>, SettingGroup> groupOf;

    private Settings(final String program, final List<SettingGroup> groups) {
        this.program = program;
        this.groups = List.copyOf(groups);
        final Map<String, Setting<?>> names = new LinkedHashMap<>();
        final Map<Setting<?>, SettingGroup> owners = new HashMap<>();
        for (final SettingGroup group : this.groups) {
            for (final Setting<?> s : group.settings()) {
                if (names.put(s.name(), s) != null || s.name().equals("config") || s.name().equals("help")
                        || s.name().equals("version")) {
                    throw new IllegalArgumentException("two settings are named " + s.flag());
                }
                owners.put(s, group);
            }
        }
        this.byName = Map.copyOf(names);
        this.groupOf = Map.copyOf(owners);
    }

    /**
     * @param program how the help text names the program, e.g. {@code java -jar todo-service.jar}
     * @param groups every group it reads, in the order the help lists them
     * @return the registry
     * @throws IllegalArgumentException if two settings share a name
     */
    public static Settings of(final String program, final List<SettingGroup> groups) {
        return new Settings(Objects.requireNonNull(program, "program"), Objects.requireNonNull(groups, "groups"));
    }

    /** @return the groups, in order */
    public List<SettingGroup> groups() {
        return groups;
    }

    /**
     * Reads every setting.
     *
     * @param args the command line: {@code --name value} or {@code --name=value} each
     * @param env the environment, e.g. {@code System.getenv()}
     * @param properties the system properties, e.g. {@code System.getProperties()}; only
     *     {@code flin.*} ones are read
     * @return the effective settings, or (if {@code --help} or {@code --version} is among the
     *     flags) a configuration that only says so and holds the defaults
     * @throws SettingsException naming the flag and the source of the first bad value
     */
    public Configuration parse(final String[] args, final Map<String, String> env, final Map<?, ?> properties) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(properties, "properties");
        for (final String arg : args) {
            if (HELP_FLAG.equals(arg) || "-h".equals(arg)) {
                return defaults(Configuration.Request.HELP);
            }
            if (VERSION_FLAG.equals(arg)) {
                return defaults(Configuration.Request.VERSION);
            }
        }
        final Map<String, String> flags = new LinkedHashMap<>();
        String configFile = null;
        for (int i = 0; i < args.length; i++) {
            final String arg = Objects.requireNonNull(args[i], "args[" + i + "]");
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new SettingsException("unexpected argument '" + arg + "': settings are given as --name value or --name=value");
            }
            final int eq = arg.indexOf('=');
            final String flag = eq < 0 ? arg : arg.substring(0, eq);
            final String name = flag.substring(2);
            if (!flag.equals(CONFIG_FLAG) && !byName.containsKey(name)) {
                throw new SettingsException("unknown flag " + flag + suggest(name, "--") + "; --help lists every flag");
            }
            final String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new SettingsException("flag " + flag + " needs a value");
            }
            if (flag.equals(CONFIG_FLAG)) {
                configFile = value;
            } else {
                flags.put(name, value);
            }
        }
        final Map<String, Raw> file = configFile == null ? Map.of() : readFile(configFile, "flag " + CONFIG_FLAG);

        final Map<Setting<?>, Configuration.Value<?>> values = new LinkedHashMap<>();
        for (final SettingGroup group : groups) {
            for (final Setting<?> s : group.settings()) {
                values.put(s, resolve(s, group, flags, properties, env, file));
            }
        }
        return new Configuration(this, values, Configuration.Request.RUN);
    }

    /** @return the configuration holding every default */
    public Configuration defaults() {
        return defaults(Configuration.Request.RUN);
    }

    private Configuration defaults(final Configuration.Request request) {
        final Map<Setting<?>, Configuration.Value<?>> values = new LinkedHashMap<>();
        for (final SettingGroup group : groups) {
            for (final Setting<?> s : group.settings()) {
                values.put(s, defaultValue(s));
            }
        }
        return new Configuration(this, values, request);
    }

    private static <T> Configuration.Value<T> defaultValue(final Setting<T> s) {
        return new Configuration.Value<>(s.defaultValue(), s.show(s.defaultValue()), Origin.DEFAULT);
    }

    /** A text and where it was found. */
    private record Raw(String text, Origin origin) {
    }

    private <T> Configuration.Value<T> resolve(final Setting<T> s, final SettingGroup group, final Map<String, String> flags,
            final Map<?, ?> properties, final Map<String, String> env, final Map<String, Raw> file) {
        final Raw raw = find(s, group, flags, properties, env, file);
        if (raw == null) {
            return defaultValue(s);
        }
        final String where = raw.origin().source() == Source.FLAG ? raw.origin().toString()
                : raw.origin() + " (" + s.flag() + ")";
        final T value;
        try {
            value = s.type().parse(raw.text());
        } catch (final IllegalArgumentException e) {
            throw new SettingsException(where + ": " + e.getMessage(), e);
        }
        final Optional<String> problem = s.problem(value);
        if (problem.isPresent()) {
            throw new SettingsException(where + ": " + problem.get() + ", was '" + raw.text().strip() + "'");
        }
        return new Configuration.Value<>(value, s.isSecret() ? "****" : raw.text().strip(), raw.origin());
    }

    private static Raw find(final Setting<?> s, final SettingGroup group, final Map<String, String> flags,
            final Map<?, ?> properties, final Map<String, String> env, final Map<String, Raw> file) {
        final String flag = flags.get(s.name());
        if (flag != null) {
            return new Raw(flag, new Origin(Source.FLAG, s.flag()));
        }
        final Object property = properties.get(s.property());
        if (property instanceof String text) {
            return new Raw(text, new Origin(Source.PROPERTY, s.property()));
        }
        final String variable = env.get(s.environmentVariable());
        if (variable != null) {
            return new Raw(variable, new Origin(Source.ENV, s.environmentVariable()));
        }
        for (final String prefix : group.legacyEnvPrefixes()) {
            final String legacy = env.get(s.envName(prefix));
            if (legacy != null) {
                return new Raw(legacy, new Origin(Source.ENV, s.envName(prefix)));
            }
        }
        return file.get(s.name());
    }

    private Map<String, Raw> readFile(final String name, final String source) {
        final Path path = Path.of(name);
        final Properties read = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            read.load(reader);
        } catch (final IOException | IllegalArgumentException e) {
            throw new SettingsException(source + ": cannot read the properties file '" + name + "': " + e, e);
        }
        final Map<String, Raw> out = new HashMap<>();
        for (final String key : read.stringPropertyNames()) {
            final String bare = key.startsWith("--") ? key.substring(2) : key;
            if (!byName.containsKey(bare)) {
                throw new SettingsException("file " + name + ": unknown key '" + key + "'" + suggest(bare, ""));
            }
            out.put(bare, new Raw(read.getProperty(key), new Origin(Source.FILE, name)));
        }
        return out;
    }

    private String suggest(final String unknown, final String dashes) {
        final List<String> close = Suggestions.closest(unknown, byName.keySet().stream().sorted(
                java.util.Comparator.comparingInt(this::declarationIndex)).toList());
        if (close.isEmpty()) {
            return "";
        }
        final StringJoiner names = new StringJoiner(", ", "; did you mean ", "?");
        close.forEach(name -> names.add(dashes + name));
        return names.toString();
    }

    private int declarationIndex(final String name) {
        int i = 0;
        for (final SettingGroup group : groups) {
            for (final Setting<?> s : group.settings()) {
                if (s.name().equals(name)) {
                    return i;
                }
                i++;
            }
        }
        return i;
    }

    /**
     * @return the help text: how settings are given, then every group's flags with their type,
     *     doc and default, then {@code --config}, {@code --help} and {@code --version}
     */
    public String help() {
        final StringBuilder b = new StringBuilder();
        b.append("Usage: ").append(program).append(" [--flag value | --flag=value ...]\n");
        b.append("Every flag can also be given as a system property -Dflin.<flag> (e.g. -Dflin.port=8081),\n");
        b.append("an environment variable FLIN_<FLAG> (e.g. FLIN_PORT=8081) or a line <flag>=<value> of the\n");
        b.append("properties file named by --config; the first of flag, property, variable, file wins, else the default.\n");
        b.append("Durations: 250ms, 10s, 2m, 1h or ISO-8601 (PT10S); sizes: bytes, 64k, 16m, 1g.\n");
        for (final SettingGroup group : groups) {
            b.append('\n').append(group.title()).append(":\n");
            for (final Setting<?> s : group.settings()) {
                final StringJoiner variables = new StringJoiner(" or ", "; env ", "");
                variables.add(s.environmentVariable());
                group.legacyEnvPrefixes().forEach(prefix -> variables.add(s.envName(prefix)));
                line(b, s.flag() + " <" + shortType(s) + ">", s.doc() + " (default " + s.defaultText() + variables + ")");
            }
        }
        b.append("\nGeneral:\n");
        line(b, CONFIG_FLAG + " <file>", "read settings from a properties file (keys are flag names)");
        line(b, HELP_FLAG, "print this text and exit");
        line(b, VERSION_FLAG, "print the version and exit");
        return b.toString();
    }

    private static String shortType(final Setting<?> s) {
        final String d = s.type().describe();
        final int paren = d.indexOf(" (");
        return paren < 0 ? d : d.substring(0, paren);
    }

    private static void line(final StringBuilder b, final String left, final String right) {
        b.append(String.format(Locale.ROOT, "  %-44s %s%n", left, right));
    }

    SettingGroup groupOf(final Setting<?> s) {
        return groupOf.get(s);
    }

    /** @return the declared settings in order */
    List<Setting<?>> all() {
        final List<Setting<?>> all = new ArrayList<>();
        groups.forEach(g -> all.addAll(g.settings()));
        return all;
    }
}
