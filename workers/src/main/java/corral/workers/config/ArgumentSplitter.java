package corral.workers.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Splits a command-line string into words the way a shell would, without expanding anything:
 * whitespace separates words, single or double quotes keep spaces inside a word and are removed.
 * (PM2's own regular expression duplicates quoted words; an array is exact in both.)
 */
final class ArgumentSplitter {

    private ArgumentSplitter() {
    }

    static Optional<List<String>> split(String line, Consumer<String> invalid) {
        var words = new ArrayList<String>();
        var word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            invalid.accept("has an unclosed " + quote + " quote");
            return Optional.empty();
        }
        if (inWord) {
            words.add(word.toString());
        }
        return Optional.of(words);
    }
}
