package corral.proxy.control;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The instance count of {@code scale}: {@code N} sets it, {@code +N} and {@code -N} change the
 * current count by N.
 *
 * @param count    N, or the signed change
 * @param relative true for {@code +N} and {@code -N}
 */
record InstanceChange(int count, boolean relative) {

    /** The new count from the current one. */
    int applyTo(int current) {
        return current + count;
    }

    /** Reads {@code N}, {@code +N} or {@code -N}; anything else is a usage error. */
    static final class Converter implements ITypeConverter<InstanceChange> {
        @Override
        public InstanceChange convert(String value) {
            boolean relative = value.startsWith("+") || value.startsWith("-");
            String digits = relative ? value.substring(1) : value;
            if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 6) {
                throw new TypeConversionException("'" + value + "' is not a whole number (use N, +N or -N)");
            }
            int n = Integer.parseInt(digits);
            return new InstanceChange(value.startsWith("-") ? -n : n, relative);
        }
    }
}
