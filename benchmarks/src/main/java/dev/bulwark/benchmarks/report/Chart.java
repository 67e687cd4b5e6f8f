package dev.bulwark.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The chart of docs/benchmarks.md, drawn with Java2D (headless): per-call cost of raw HikariCP, Bulwark
 * and the peers on a log scale, and end-to-end throughput relative to raw HikariCP.
 */
final class Chart {

    private static final int WIDTH = 1100;
    private static final int ROW = 30;
    private static final int LEFT = 330;
    private static final Color[] SERIES = {new Color(0x7f7f7f), new Color(0x1f77b4), new Color(0xff7f0e),
            new Color(0x2ca02c), new Color(0xd62728)};
    private static final List<String> SERIES_NAMES = List.of("raw", "Bulwark", "datasource-proxy", "Resilience4j",
            "Failsafe");

    private Chart() {
    }

    static void draw(JmhResults jmh, E2eSummary e2e, Path file) throws IOException {
        Map<String, double[]> perCall = perCall(jmh);
        List<E2eSummary.Line> ratios = e2e.lines().stream()
                .filter(l -> !l.variant().equals("raw") && !l.variant().equals("pgbench")).toList();
        int top = 70;
        int perCallHeight = perCall.size() * ROW + 60;
        int e2eHeight = ratios.isEmpty() ? 0 : ratios.size() * 22 + 90;
        BufferedImage image = new BufferedImage(WIDTH, top + perCallHeight + e2eHeight + 20, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Per-call cost over the stub driver, 1 thread (ns/op, log scale)", 20, 28);
        legend(g, 20, 50);
        if (!perCall.isEmpty()) {
            drawPerCall(g, perCall, top);
        }
        if (!ratios.isEmpty()) {
            drawRatios(g, ratios, top + perCallHeight);
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** Label to ns/op per series (NaN where a series has no figure). */
    private static Map<String, double[]> perCall(JmhResults jmh) {
        Map<String, double[]> rows = new LinkedHashMap<>();
        for (Case c : Case.all()) {
            double[] values = new double[SERIES.length];
            java.util.Arrays.fill(values, Double.NaN);
            values[0] = c.raw() == null ? Double.NaN : nanos(jmh, c.raw());
            values[1] = nanos(jmh, c.bulwark());
            for (int i = 2; i < SERIES.length; i++) {
                Case.Ref ref = c.peers().get(SERIES_NAMES.get(i));
                values[i] = ref == null ? Double.NaN : nanos(jmh, ref);
            }
            if (!Double.isNaN(values[1])) {
                rows.put(c.label(), values);
            }
        }
        return rows;
    }

    private static double nanos(JmhResults jmh, Case.Ref ref) {
        return jmh.get(ref.benchmark(), 1, ref.variant(), ref.rows()).map(JmhResults.Score::nanos).orElse(Double.NaN);
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < SERIES.length; i++) {
            g.setColor(SERIES[i]);
            g.fillRect(x, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(SERIES_NAMES.get(i), x + 16, y);
            x += 30 + g.getFontMetrics().stringWidth(SERIES_NAMES.get(i));
        }
    }

    private static void drawPerCall(Graphics2D g, Map<String, double[]> rows, int top) {
        double min = 1;
        double max = 10;
        for (double[] v : rows.values()) {
            for (double d : v) {
                if (!Double.isNaN(d)) {
                    max = Math.max(max, d);
                }
            }
        }
        double lo = Math.log10(min);
        double hi = Math.ceil(Math.log10(max));
        int plotWidth = WIDTH - LEFT - 40;
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int bottom = top + rows.size() * ROW;
        for (int p = (int) lo; p <= hi; p++) {
            int x = LEFT + (int) ((p - lo) / (hi - lo) * plotWidth);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(p >= 3 ? (p >= 6 ? (long) Math.pow(10, p - 6) + " ms" : (long) Math.pow(10, p - 3) + " µs")
                    : (long) Math.pow(10, p) + " ns", x - 10, bottom + 14);
        }
        int y = top;
        for (Map.Entry<String, double[]> row : rows.entrySet()) {
            g.setColor(Color.BLACK);
            g.drawString(row.getKey(), 10, y + ROW / 2 + 4);
            double[] v = row.getValue();
            int present = 0;
            for (double d : v) {
                present += Double.isNaN(d) ? 0 : 1;
            }
            int barHeight = Math.max(3, (ROW - 6) / Math.max(1, present));
            int by = y + 3;
            for (int i = 0; i < v.length; i++) {
                if (Double.isNaN(v[i])) {
                    continue;
                }
                double position = (Math.log10(Math.max(min, v[i])) - lo) / (hi - lo);
                g.setColor(SERIES[i]);
                g.fillRect(LEFT, by, Math.max(1, (int) (position * plotWidth)), barHeight - 1);
                by += barHeight;
            }
            y += ROW;
        }
    }

    private static void drawRatios(Graphics2D g, List<E2eSummary.Line> lines, int top) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Loopback PostgreSQL: throughput relative to raw HikariCP (median of rounds)", 20, top + 10);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        double lo = 0.8;
        double hi = 1.2;
        for (E2eSummary.Line l : lines) {
            lo = Math.min(lo, Math.floor(l.ratio() * 10) / 10);
            hi = Math.max(hi, Math.ceil(l.ratio() * 10) / 10);
        }
        int plotTop = top + 30;
        int plotWidth = WIDTH - LEFT - 40;
        int bottom = plotTop + lines.size() * 22;
        List<double[]> marks = new ArrayList<>(List.of(new double[] {1.0, 0}, new double[] {0.98, 1}));
        for (double t = lo; t <= hi + 1e-9; t += 0.1) {
            int x = LEFT + (int) ((t - lo) / (hi - lo) * plotWidth);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, plotTop, x, bottom);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.1f", t), x - 8, bottom + 14);
        }
        int y = plotTop;
        for (E2eSummary.Line l : lines) {
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%s, %d clients, %s", l.workload(), l.threads(),
                    switch (l.variant()) {
                        case "bulwark" -> "Bulwark.wrap";
                        case "bulwark-driver" -> "jdbc:bulwark: driver";
                        case "aws-wrapper" -> "AWS JDBC Wrapper (peer)";
                        default -> "Bulwark.wrap, no stmt timeout";
                    }), 10, y + 15);
            double from = Math.max(lo, Math.min(l.ratio(), 1.0));
            double to = Math.min(hi, Math.max(l.ratio(), 1.0));
            int x0 = LEFT + (int) ((from - lo) / (hi - lo) * plotWidth);
            int x1 = LEFT + (int) ((to - lo) / (hi - lo) * plotWidth);
            g.setColor(switch (l.variant()) {
                case "bulwark" -> SERIES[1];
                case "bulwark-driver" -> new Color(0x9467bd);
                case "aws-wrapper" -> new Color(0xff7f0e);
                default -> new Color(0x17becf);
            });
            g.fillRect(x0, y + 4, Math.max(2, x1 - x0), 14);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%.3f", l.ratio()), Math.max(x1, x0 + 2) + 4, y + 15);
            y += 22;
        }
        for (double[] mark : marks) {
            int x = LEFT + (int) ((mark[0] - lo) / (hi - lo) * plotWidth);
            g.setColor(mark[1] == 0 ? Color.BLACK : Color.RED);
            g.setStroke(new BasicStroke(mark[1] == 0 ? 1.5f : 1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                    mark[1] == 0 ? null : new float[] {4, 4}, 0));
            g.drawLine(x, plotTop - 4, x, bottom);
        }
        g.setStroke(new BasicStroke(1));
        g.setColor(Color.RED);
        g.drawString("budget 0.98", LEFT + (int) ((0.98 - lo) / (hi - lo) * plotWidth) - 70, plotTop - 6);
    }
}
