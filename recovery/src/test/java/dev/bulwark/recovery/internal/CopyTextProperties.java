package dev.bulwark.recovery.internal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.WithNull;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CopyTextProperties {

    @Property
    void everyRowReadsBackAsWritten(@ForAll @Size(min = 1, max = 20) List<@Size(min = 1, max = 6) List<@WithNull(0.2) String>> rows)
            throws IOException {
        StringWriter out = new StringWriter();
        for (List<String> row : rows) {
            CopyText.writeRow(out, row.toArray(String[]::new));
        }
        StringReader in = new StringReader(out.toString());
        List<List<String>> read = new ArrayList<>();
        for (String[] row = CopyText.readRow(in); row != null; row = CopyText.readRow(in)) {
            read.add(java.util.Arrays.asList(row));
        }
        assertThat(read).isEqualTo(rows);
    }

    @Property
    void jsonStringsRoundTrip(@ForAll String text, @ForAll long number) {
        var map = new java.util.LinkedHashMap<String, Object>();
        map.put(text, List.of(text, number, true, false));
        map.put("null", null);
        assertThat(Json.parse(Json.write(map))).isEqualTo(map);
    }
}
