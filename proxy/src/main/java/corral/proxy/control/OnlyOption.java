package corral.proxy.control;

import corral.workers.config.AppSelection;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * PM2's {@code --only app1[,app2]}: only those apps of the ecosystem file, matched by the name the
 * file gives them (before {@code append_env_to_name}). A picocli mixin of start, check, daemon
 * and reload-conf; a name the file lacks is an error the loader reports, naming the file's apps.
 */
final class OnlyOption {

    @Option(names = "--only", paramLabel = "APP[,APP...]", converter = Names.class,
            description = "only these apps of the file, as PM2's --only (names separated by commas)")
    AppSelection only = AppSelection.ALL;

    /** Splits the names as PM2 does; an empty list is a usage error. */
    static final class Names implements ITypeConverter<AppSelection> {
        @Override
        public AppSelection convert(String value) {
            try {
                return AppSelection.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
