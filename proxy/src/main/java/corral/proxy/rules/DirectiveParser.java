package corral.proxy.rules;

import corral.proxy.rules.ConfigLexer.Kind;
import corral.proxy.rules.ConfigLexer.SyntaxError;
import corral.proxy.rules.ConfigLexer.Token;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads configuration files into {@link Directive} trees and splices {@code include}d files in
 * where the {@code include} stood. A file that is not well-formed gives one problem (nginx too
 * stops at the first); the other files are still read, so one run reports them all.
 *
 * <p>Files are read as ISO-8859-1: one char per byte, so that regexes and location names
 * compare bytes with the request's bytes, as nginx does.
 */
final class DirectiveParser {

    private final Problems problems;
    /** The files being read, outermost first: an include of one of them is a loop. */
    private final Deque<Path> reading = new ArrayDeque<>();
    private final List<Path> filesRead = new ArrayList<>();

    /** Where a relative {@code include} is read from: nginx's configuration prefix. */
    private final Path prefix;

    /**
     * @param prefix the directory nginx would resolve a relative include against: that of the
     *               nginx.conf being loaded, or the vhost directory itself (as an nginx.conf
     *               beside the vhost files would have it)
     */
    DirectiveParser(Problems problems, Path prefix) {
        this.problems = problems;
        this.prefix = prefix;
    }

    /** Every file read so far, includes too, in reading order. */
    List<Path> filesRead() {
        return List.copyOf(filesRead);
    }

    /** The directives of one file, includes spliced in; empty when it cannot be read. */
    List<Directive> parseFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            problems.add(file, 0, null, "cannot read the file: " + e);
            return List.of();
        }
        filesRead.add(file);
        reading.push(realPath(file));
        try {
            return new FileParser(file, ConfigLexer.tokenize(text)).parseBlock(null);
        } catch (SyntaxError e) {
            problems.add(file, e.line, null, e.getMessage());
            return List.of();
        } finally {
            reading.pop();
        }
    }

    private String loopText(Path again) {
        List<Path> chain = new ArrayList<>(reading);
        Collections.reverse(chain);
        chain.add(again);
        return chain.stream().map(Path::toString).collect(Collectors.joining(" -> "));
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    /** Turns one file's tokens into directives. */
    private final class FileParser {

        private final Path file;
        private final List<Token> tokens;
        private int next;

        FileParser(Path file, List<Token> tokens) {
            this.file = file;
            this.tokens = tokens;
        }

        /** The directives up to the block's "}" ({@code opener} null: up to the file's end). */
        List<Directive> parseBlock(Token opener) throws SyntaxError {
            List<Directive> out = new ArrayList<>();
            while (true) {
                Token first = tokens.get(next++);
                switch (first.kind()) {
                    case END -> {
                        if (opener != null) {
                            throw new SyntaxError(first.line(), "unexpected end of file,"
                                    + " expecting \"}\": the \"" + opener.text()
                                    + "\" block opened on line " + opener.line()
                                    + " is never closed");
                        }
                        return out;
                    }
                    case CLOSE -> {
                        if (opener == null) {
                            throw new SyntaxError(first.line(), "unexpected \"}\"");
                        }
                        return out;
                    }
                    case SEMICOLON, OPEN -> throw new SyntaxError(first.line(),
                            "unexpected \"" + first.text() + "\"");
                    case WORD -> out.addAll(directive(first));
                }
            }
        }

        private List<Directive> directive(Token name) throws SyntaxError {
            List<String> args = new ArrayList<>();
            int lastLine = name.line();
            while (true) {
                Token t = tokens.get(next++);
                switch (t.kind()) {
                    case WORD -> {
                        args.add(t.text());
                        lastLine = t.line();
                    }
                    case SEMICOLON -> {
                        Directive d = new Directive(name.text(), args, null, file, name.line(),
                                lastLine);
                        return d.name().equals("include") ? include(d) : List.of(d);
                    }
                    case OPEN -> {
                        List<Directive> block = parseBlock(name);
                        return List.of(new Directive(name.text(), args, block, file, name.line(),
                                lastLine));
                    }
                    case CLOSE -> throw new SyntaxError(name.line(), "unexpected \"}\": the \""
                            + name.text() + "\" directive on line " + name.line()
                            + " is missing its \";\"");
                    case END -> throw new SyntaxError(name.line(), "unexpected end of file: the \""
                            + name.text() + "\" directive on line " + name.line()
                            + " is missing its \";\" or \"}\"");
                }
            }
        }

        private List<Directive> include(Directive d) {
            if (d.args().size() != 1) {
                problems.add(d, "invalid number of arguments in \"include\": it takes one file"
                        + " name or glob" + Problems.missingSemicolonHint(d));
                return List.of();
            }
            String pattern = d.arg(0);
            List<Path> files;
            try {
                files = Glob.expand(prefix, pattern);
            } catch (IOException e) {
                List<Path> beside = besideTheFile(pattern);
                if (beside == null || beside.isEmpty()) {
                    problems.add(d, "include \"" + pattern + "\": " + e.getMessage());
                    return List.of();
                }
                files = List.of();
            }
            if (files.isEmpty()) {
                List<Path> beside = besideTheFile(pattern);
                if (beside != null && !beside.isEmpty()) {
                    files = beside;
                    problems.notice(d, "include \"" + pattern + "\" is read beside " + file.getFileName()
                            + ": nginx reads a relative include from its configuration prefix (" + prefix
                            + "), where it matches nothing (write a path relative to " + prefix + ")");
                }
            }
            List<Directive> out = new ArrayList<>();
            for (Path f : files) {
                Path real = realPath(f);
                if (reading.contains(real)) {
                    problems.add(d, "include loop: " + loopText(real));
                    continue;
                }
                out.addAll(parseFile(f));
            }
            return out;
        }

        /**
         * What a relative pattern matches in the including file's own directory (Corral's reading
         * before it followed nginx); null when that is the prefix, or nothing is there.
         */
        private List<Path> besideTheFile(String pattern) {
            Path dir = file.toAbsolutePath().getParent();
            if (dir == null || Path.of(pattern).isAbsolute() || dir.equals(prefix.toAbsolutePath())) {
                return null;
            }
            try {
                return Glob.expand(dir, pattern);
            } catch (IOException e) {
                return null;
            }
        }
    }
}
