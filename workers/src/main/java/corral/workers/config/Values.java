package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Readers for the plain kinds of attribute value, with PM2's leniency where PM2 has it: a number
 * may be given as a numeric string (PM2's validator parses those), a list as one string of words.
 * Each reader reports a bad value to {@code invalid} with the explanation that follows the value
 * in the message, and then returns empty.
 */
final class Values {

    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\s*[+-]?\\d{1,18}\\s*");

    private Values() {
    }

    static Optional<String> text(JsonNode value, Consumer<String> invalid) {
        if (!value.isTextual()) {
            invalid.accept("is not a string");
            return Optional.empty();
        }
        return Optional.of(value.textValue());
    }

    /** A string that can name a file: no NUL character, which no path can hold. */
    static Optional<String> pathText(JsonNode value, Consumer<String> invalid) {
        Optional<String> text = text(value, invalid);
        if (text.isPresent() && text.get().indexOf('\0') >= 0) {
            invalid.accept("is not a usable path: it holds a NUL character");
            return Optional.empty();
        }
        return text;
    }

    static Optional<Boolean> bool(JsonNode value, Consumer<String> invalid) {
        if (!value.isBoolean()) {
            invalid.accept("is not true or false");
            return Optional.empty();
        }
        return Optional.of(value.booleanValue());
    }

    /** A whole number, or a string holding one; empty (and reported) for anything else. */
    static OptionalLong wholeNumber(JsonNode value, Consumer<String> invalid, String expected) {
        OptionalLong number = wholeNumber(value);
        if (number.isEmpty()) {
            invalid.accept(expected);
        }
        return number;
    }

    /** A whole number, or a string holding one, without reporting anything. */
    static OptionalLong wholeNumber(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return OptionalLong.of(value.longValue());
        }
        if (value.isNumber() && isWhole(value.decimalValue())) {
            return OptionalLong.of(value.longValue());
        }
        if (value.isTextual() && WHOLE_NUMBER.matcher(value.textValue()).matches()) {
            return OptionalLong.of(Long.parseLong(value.textValue().trim()));
        }
        return OptionalLong.empty();
    }

    /** Milliseconds, 0 or more: {@code 1600} or {@code "1600"}. */
    static OptionalLong millis(JsonNode value, Consumer<String> invalid) {
        OptionalLong ms = wholeNumber(value, invalid, "is not a whole number of milliseconds");
        if (ms.isPresent() && ms.getAsLong() < 0) {
            invalid.accept("is negative; give milliseconds, 0 or more");
            return OptionalLong.empty();
        }
        return ms;
    }

    /**
     * Words for a command line: an array (each element one word, numbers as written) or a string
     * split as a shell would, without expansions.
     */
    static Optional<List<String>> words(JsonNode value, Consumer<String> invalid) {
        if (value.isTextual()) {
            return ArgumentSplitter.split(value.textValue(), invalid);
        }
        if (!value.isArray()) {
            invalid.accept("is neither a string nor a list of strings");
            return Optional.empty();
        }
        var words = new ArrayList<String>();
        for (JsonNode element : value) {
            if (!element.isValueNode() || element.isNull()) {
                invalid.accept("has an element that is not a string: " + element);
                return Optional.empty();
            }
            words.add(element.isTextual() ? element.textValue() : scalarText(element));
        }
        return Optional.of(words);
    }

    /**
     * The text an environment value becomes, as PM2 and Node make it: strings as they are, numbers
     * and booleans as JavaScript prints them, objects, arrays and null JSON-stringified.
     */
    static String envText(JsonNode value) {
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isValueNode() && !value.isNull()) {
            return scalarText(value);
        }
        return value.toString();
    }

    /**
     * False in the sense of "not asking for anything": absent, null, false, 0, an empty string,
     * list or object.
     */
    static boolean isOff(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return true;
        }
        if (value.isBoolean()) {
            return !value.booleanValue();
        }
        if (value.isNumber()) {
            return value.decimalValue().signum() == 0;
        }
        if (value.isTextual()) {
            return value.textValue().isEmpty();
        }
        return value.isEmpty();
    }

    /** PM2's two ways of saying "throw this stream away". */
    static boolean isDiscardPath(JsonNode value) {
        return value.isTextual() && ("NULL".equals(value.textValue()) || "/dev/null".equals(value.textValue()));
    }

    /** A number the way JavaScript prints it: no ".0" on whole numbers, no exponent. */
    private static String scalarText(JsonNode value) {
        if (value.isNumber() && !value.isIntegralNumber()) {
            BigDecimal decimal = value.decimalValue().stripTrailingZeros();
            return decimal.scale() <= 0 ? decimal.toBigInteger().toString() : decimal.toPlainString();
        }
        return value.asText();
    }

    private static boolean isWhole(BigDecimal decimal) {
        return decimal.stripTrailingZeros().scale() <= 0
                && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0;
    }
}
