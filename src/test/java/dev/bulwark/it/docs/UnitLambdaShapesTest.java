package dev.bulwark.it.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every way of writing a unit's lambda compiles where it should and nowhere else, with and without
 * {@code TransactionOptions}: {@code inTransaction}/{@code inAutoCommit} take work that returns a value,
 * {@code useTransaction}/{@code useAutoCommit} work that returns nothing, and no call is ambiguous for javac (which
 * is why the two are not overloads of one name: {@code c -> insert(c)} would match both).
 */
class UnitLambdaShapesTest {

    /** Lambda bodies, and whether each returns a value (true), nothing (false), or may be read as either (null). */
    private static final Map<String, Boolean> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("c -> insert(c)", null);                                   // a call returning long: either
        SHAPES.put("c -> c.createStatement().execute(\"SELECT 1\")", null);   // a JDBC call returning boolean: either
        SHAPES.put("c -> touch(c)", false);                                   // a call returning void
        SHAPES.put("c -> { touch(c); }", false);
        SHAPES.put("c -> { try (Statement s = c.createStatement()) { s.execute(\"SELECT 1\"); } }", false);
        SHAPES.put("c -> { return insert(c); }", true);
        SHAPES.put("c -> 42L", true);
        SHAPES.put("Shapes::insert", null);
        SHAPES.put("Shapes::touch", false);
    }

    private static final List<String> CALLS = List.of(
            "db.inTransaction(%s)", "db.inTransaction(options, %s)", "db.inAutoCommit(options, %s)",
            "db.useTransaction(%s)", "db.useTransaction(options, %s)", "db.useAutoCommit(options, %s)");

    @Test
    void valueUnitsTakeValueLambdasVoidUnitsTakeAnyLambdaWithoutAReturnValueAndNothingIsAmbiguous(@TempDir Path out) {
        List<DocSnippets.Unit> units = new ArrayList<>();
        Set<String> expectedToFail = new TreeSet<>();
        for (String call : CALLS) {
            for (Map.Entry<String, Boolean> shape : SHAPES.entrySet()) {
                String statement = String.format(call, shape.getKey()) + ";";
                boolean valueUnit = call.startsWith("db.in");
                Boolean returnsValue = shape.getValue();
                // A value unit cannot take work that returns nothing; a void unit cannot take a 'return x;' block.
                boolean compiles = returnsValue == null || returnsValue == valueUnit;
                String page = "shape " + units.size();
                if (!compiles) {
                    expectedToFail.add(page + " " + statement);
                }
                units.add(unit(page, units.size(), statement));
            }
        }

        List<String> errors = DocsCompileTest.compile(units, out);

        Set<String> failed = new TreeSet<>();
        for (String e : errors) {
            String page = e.substring(0, e.indexOf(':'));
            int n = Integer.parseInt(page.substring("shape ".length()));
            failed.add(page + " " + statementOf(units.get(n)));
            assertThat(e).as("no call may be ambiguous").doesNotContain("ambiguous");
        }
        assertThat(failed).as("calls that did not compile (errors: %s)", errors).isEqualTo(expectedToFail);
        assertThat(expectedToFail).as("the matrix covers both refusals").isNotEmpty();
    }

    private static DocSnippets.Unit unit(String page, int n, String statement) {
        String pkg = "shapes.s" + n;
        String source = "package " + pkg + ";\n"
                + "import java.sql.*;\nimport dev.bulwark.jdbc.*;\n"
                + "class Shapes {\n"
                + "    static long insert(Connection c) throws SQLException { return 1L; }\n"
                + "    static void touch(Connection c) throws SQLException { }\n"
                + "    void run(BulwarkDataSource db, TransactionOptions options) throws SQLException {\n"
                + "        " + statement + "\n"
                + "    }\n"
                + "}\n";
        int[] lines = new int[source.split("\n", -1).length];
        java.util.Arrays.fill(lines, 1);
        return new DocSnippets.Unit(page, pkg + ".Shapes", source, lines);
    }

    private static String statementOf(DocSnippets.Unit unit) {
        return unit.source().lines().filter(l -> l.startsWith("        db.")).findFirst().orElseThrow().strip();
    }
}
