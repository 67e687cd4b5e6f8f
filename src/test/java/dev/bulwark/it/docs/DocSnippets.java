package dev.bulwark.it.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the fenced {@code java} blocks of one Markdown page into Java compilation units, keeping for every
 * generated line the page line it came from.
 *
 * <p>All blocks of a page share one package ({@code docs.<page>}), so a type one block declares is visible to the
 * page's other blocks. A block is split into
 * <ul>
 *   <li>its {@code import} lines, added to each of its compilation units;</li>
 *   <li>top-level type declarations (a {@code class}, {@code interface}, {@code record}, {@code enum} or
 *       {@code @interface} header at the block's left margin, with the annotations and comments above it, up to the
 *       next {@code }} at the margin), each compiled as a top-level type of its own file;</li>
 *   <li>the rest: member declarations (a method or field header with a modifier or annotation at the margin) or else
 *       statements, put into a class {@code Snippet_L<line>} (members) or its method {@code snippet()} (statements),
 *       which declares {@code throws Exception}.</li>
 * </ul>
 *
 * <p>The snippet class also holds the page's context: the declarations of every
 * {@code <!-- java-context: ... -->} comment above the block on the same page (fields such as
 * {@code BulwarkDataSource db;}, helper methods, and {@code import} lines). A context accumulates down the page;
 * a local variable a snippet declares hides a context field of the same name.
 */
final class DocSnippets {

    /** A generated compilation unit and, for each of its lines (0-based), the page line it came from or 0. */
    record Unit(String page, String className, String source, int[] pageLines) {
    }

    private static final Pattern FENCE = Pattern.compile("^(\\s*)```java\\s*$");
    private static final Pattern OTHER_FENCE = Pattern.compile("^\\s*```.*$");
    private static final Pattern CLOSE = Pattern.compile("^\\s*```\\s*$");
    private static final Pattern TYPE = Pattern.compile(
            "^(?:@[\\w.]+(?:\\(.*\\))?\\s+)*(?:(?:public|final|abstract|sealed|non-sealed|static|strictfp)\\s+)*"
                    + "(?:class|interface|record|enum|@interface)\\s+(\\w+).*");
    private static final Pattern MEMBER = Pattern.compile(
            "^(?:@\\w.*|(?:(?:public|protected|private|static|final|abstract|synchronized|default)\\s+)+[^=;]*\\(.*"
                    + "|(?:(?:public|protected|private|static|final)\\s+)+.*;\\s*(//.*)?)$");
    private static final Pattern CONTEXT_START = Pattern.compile("^\\s*<!--\\s*java-context:(.*)$");

    private DocSnippets() {
    }

    /** The package of a page's snippets: {@code docs/jdbc.md} is {@code docs.docs_jdbc_md}. */
    static String packageOf(String page) {
        return "docs." + page.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
    }

    /** The compilation units of {@code page} (its path, as reported in errors) whose text is {@code markdown}. */
    static List<Unit> units(String page, String markdown) {
        String[] lines = markdown.split("\n", -1);
        String pkg = packageOf(page);
        List<Line> contextImports = new ArrayList<>();
        List<Line> contextMembers = new ArrayList<>();
        List<Unit> units = new ArrayList<>();
        boolean inOtherFence = false; // a java-context comment shown inside a ```text block is an example, not a context
        for (int i = 0; i < lines.length; i++) {
            if (OTHER_FENCE.matcher(lines[i]).matches() && !FENCE.matcher(lines[i]).matches()) {
                inOtherFence = !inOtherFence;
                continue;
            }
            if (inOtherFence) {
                continue;
            }
            Matcher context = CONTEXT_START.matcher(lines[i]);
            if (context.matches()) {
                i = readContext(lines, i, context.group(1), contextImports, contextMembers);
                continue;
            }
            Matcher fence = FENCE.matcher(lines[i]);
            if (!fence.matches()) {
                continue;
            }
            int indent = fence.group(1).length();
            int first = i + 1;
            int end = first;
            while (end < lines.length && !CLOSE.matcher(lines[end]).matches()) {
                end++;
            }
            if (end == lines.length) {
                throw new IllegalArgumentException(page + ":" + (i + 1) + ": the ```java block is never closed");
            }
            List<Line> block = new ArrayList<>();
            for (int k = first; k < end; k++) {
                String text = lines[k];
                int cut = 0;
                while (cut < indent && cut < text.length() && text.charAt(cut) == ' ') {
                    cut++;
                }
                block.add(new Line(text.substring(cut), k + 1));
            }
            units.addAll(split(page, pkg, i + 1, block, contextImports, contextMembers));
            i = end;
        }
        return units;
    }

    private record Line(String text, int pageLine) {
    }

    private static int readContext(String[] lines, int start, String rest, List<Line> imports, List<Line> members) {
        int i = start;
        String text = rest;
        while (true) {
            int close = text.indexOf("-->");
            String part = close >= 0 ? text.substring(0, close) : text;
            for (String declaration : part.split("(?<=;)\\s+(?=import\\s)")) {
                if (!declaration.isBlank()) {
                    (declaration.strip().startsWith("import ") ? imports : members)
                            .add(new Line(declaration.strip(), i + 1));
                }
            }
            if (close >= 0) {
                return i;
            }
            i++;
            if (i == lines.length) {
                throw new IllegalArgumentException("a java-context comment opened on line " + (start + 1)
                        + " is never closed with -->");
            }
            text = lines[i];
        }
    }

    private static List<Unit> split(String page, String pkg, int fenceLine, List<Line> block, List<Line> contextImports,
                                    List<Line> contextMembers) {
        List<Line> imports = new ArrayList<>(contextImports);
        List<List<Line>> types = new ArrayList<>();
        List<String> typeNames = new ArrayList<>();
        List<Line> rest = new ArrayList<>();
        List<Line> pending = new ArrayList<>(); // comments and annotations at the margin, owned by what follows
        for (int k = 0; k < block.size(); k++) {
            Line line = block.get(k);
            String t = line.text();
            if (t.startsWith("import ")) {
                imports.add(line);
                continue;
            }
            Matcher type = TYPE.matcher(t);
            if (type.matches()) {
                List<Line> declaration = new ArrayList<>(pending);
                pending.clear();
                int k2 = k;
                while (k2 < block.size()) {
                    declaration.add(block.get(k2));
                    if (block.get(k2).text().startsWith("}") || (k2 == k && t.stripTrailing().endsWith("}"))) {
                        break;
                    }
                    k2++;
                }
                types.add(declaration);
                typeNames.add(type.group(1));
                k = k2;
                continue;
            }
            if (!t.isEmpty() && !Character.isWhitespace(t.charAt(0))
                    && (t.startsWith("@") || t.startsWith("/**") || t.startsWith("//") || t.startsWith("*"))
                    && nextIsType(block, k)) {
                pending.add(line);
                continue;
            }
            rest.addAll(pending);
            pending.clear();
            rest.add(line);
        }
        rest.addAll(pending);
        List<Unit> units = new ArrayList<>();
        for (int n = 0; n < types.size(); n++) {
            Source s = new Source();
            header(s, pkg, imports);
            types.get(n).forEach(l -> s.add(l.text(), l.pageLine()));
            units.add(s.unit(page, pkg + "." + typeNames.get(n)));
        }
        if (rest.stream().anyMatch(l -> !l.text().isBlank())) {
            String name = "Snippet_L" + fenceLine;
            boolean members = rest.stream().filter(l -> !l.text().isBlank()).findFirst()
                    .map(l -> MEMBER.matcher(l.text()).matches()).orElse(false);
            Source s = new Source();
            header(s, pkg, imports);
            s.add("@SuppressWarnings(\"all\") class " + name + " {", fenceLine);
            contextMembers.forEach(l -> s.add(l.text(), l.pageLine()));
            if (!members) {
                s.add("void snippet() throws Exception {", fenceLine);
            }
            rest.forEach(l -> s.add(l.text(), l.pageLine()));
            if (!members) {
                s.add("}", fenceLine);
            }
            s.add("}", fenceLine);
            units.add(s.unit(page, pkg + "." + name));
        }
        return units;
    }

    /** Whether the next line at the margin that is no comment or annotation starts a type declaration. */
    private static boolean nextIsType(List<Line> block, int k) {
        for (int j = k + 1; j < block.size(); j++) {
            String t = block.get(j).text();
            if (t.startsWith("@") || t.startsWith("/**") || t.startsWith("//") || t.startsWith(" *")
                    || t.startsWith("*")) {
                continue;
            }
            return TYPE.matcher(t).matches();
        }
        return false;
    }

    private static void header(Source s, String pkg, List<Line> imports) {
        s.add("package " + pkg + ";", 0);
        for (String i : DocsCompileTest.DEFAULT_IMPORTS) {
            s.add(i, 0);
        }
        imports.forEach(l -> s.add(l.text(), l.pageLine()));
    }

    /** Generated text and its line map. */
    private static final class Source {
        private final StringBuilder text = new StringBuilder();
        private final List<Integer> map = new ArrayList<>();

        void add(String line, int pageLine) {
            text.append(line).append('\n');
            map.add(pageLine);
        }

        Unit unit(String page, String className) {
            return new Unit(page, className, text.toString(), map.stream().mapToInt(Integer::intValue).toArray());
        }
    }
}
