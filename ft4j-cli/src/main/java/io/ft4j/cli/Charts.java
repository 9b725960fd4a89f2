package io.ft4j.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The charts of the demos and of {@code ft4j bench}: JFreeChart lays them out, JFreeSVG writes them as standalone SVG
 * files that any browser opens. Two kinds: latency distributions (a percentile plot, both axes logarithmic, the tail
 * to the right) and speed ratios against thread counts (error bars, a parity line at 1.0).
 */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true"); // no display needed: charts are drawn into SVG only
    }

    /** Distinct colours that stay apart in print and for the common colour-vision deficiencies (Tableau 10). */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Stroke LINE = new BasicStroke(2f);
    private static final Stroke GUIDE = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
            new float[] {4f, 4f}, 0f);
    private static final Color GRID = new Color(0xdddddd);
    private static final Color LABEL_BACKGROUND = new Color(255, 255, 255, 210);

    private Charts() {}

    /** One latency distribution: its name, colour and the waits in nanoseconds, sorted ascending. */
    record Curve(String name, Color color, long[] sortedNanos) {}

    /** One panel of a latency chart: the condition its curves share (shown under its axis) and the curves. */
    record Panel(String condition, List<Curve> curves) {}

    /** One line of a ratio chart: a workload against one anchor; error NaN where it is unknown. */
    record RatioLine(String name, int[] threads, double[] ratio, double[] error) {}

    /**
     * A latency chart: per panel, each curve's wait (log axis) at each percentile (log axis of 1 / (1 - p), so p50,
     * p90, p99 and p99.9 are evenly spaced and the tail is visible). Panels share the wait axis; the legend holds the
     * first panel's curves, so every panel should have the same curves in the same order.
     *
     * @param reference a wait to mark with a horizontal line, in nanoseconds, or 0 for none
     * @param referenceLabel its label
     */
    static JFreeChart latency(String title, String subtitle, List<Panel> panels, long reference,
            String referenceLabel) {
        long min = Long.MAX_VALUE;
        long max = 1;
        int samples = 10;
        for (Panel p : panels) {
            for (Curve c : p.curves()) {
                if (c.sortedNanos().length > 0) {
                    min = Math.min(min, c.sortedNanos()[0]);
                    max = Math.max(max, c.sortedNanos()[c.sortedNanos().length - 1]);
                    samples = Math.max(samples, c.sortedNanos().length);
                }
            }
        }
        if (reference > 0) {
            min = Math.min(min, reference);
            max = Math.max(max, reference);
        }
        LogAxis waits = new LogAxis("wait (log scale)");
        waits.setNumberFormatOverride(new Format(Charts::micros));
        waits.setLabelFont(TEXT);
        waits.setTickLabelFont(SMALL);
        // whole decades, microseconds; sub-microsecond waits are drawn at 0.1 us
        double lo = Math.pow(10, Math.floor(Math.log10(Math.max(0.1, Math.max(1, min) / 1e3))));
        double hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, max / 1e3 * 1.05))));
        waits.setRange(lo / 1.3, hi); // a little below the lowest decade, so that its tick is labelled
        waits.setTickUnit(new NumberTickUnit(1)); // one tick a decade: the unit is in powers of ten
        CombinedRangeXYPlot plot = new CombinedRangeXYPlot(waits);
        plot.setGap(36); // room between the panels for their end labels
        double right = Math.pow(10, Math.ceil(Math.log10(samples)));
        for (Panel p : panels) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            renderer.setDrawSeriesLineAsPath(true); // one SVG path per curve, not one line per point
            int i = 0;
            for (Curve c : p.curves()) {
                data.addSeries(percentiles(c, lo));
                renderer.setSeriesPaint(i, c.color());
                renderer.setSeriesStroke(i, LINE);
                i++;
            }
            LogAxis percentile = new LogAxis("percentile, " + p.condition());
            percentile.setNumberFormatOverride(new Format(Charts::percentile));
            percentile.setRange(0.85, right * 1.4); // room for the end labels
            percentile.setTickUnit(new NumberTickUnit(1)); // 0%, 90%, 99%, 99.9%, ...
            percentile.setLabelFont(TEXT);
            percentile.setTickLabelFont(SMALL);
            XYPlot panel = new XYPlot(data, percentile, null, renderer);
            style(panel);
            panel.addDomainMarker(guide(2, "p50"));
            panel.addDomainMarker(guide(100, "p99"));
            if (reference > 0) {
                ValueMarker m = new ValueMarker(reference / 1e3, Color.DARK_GRAY, GUIDE);
                m.setLabel(referenceLabel);
                m.setLabelFont(SMALL);
                m.setLabelBackgroundColor(LABEL_BACKGROUND);
                m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
                m.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
                m.setLabelOffset(new RectangleInsets(2, 4, 2, 4));
                panel.addRangeMarker(m, Layer.BACKGROUND);
            }
            plot.add(panel, 1);
        }
        LegendItemCollection legend = new LegendItemCollection();
        if (!panels.isEmpty()) {
            for (Curve c : panels.get(0).curves()) {
                legend.add(new LegendItem(c.name(), null, null, null, new Line2D.Double(-9, 0, 9, 0), LINE,
                        c.color()));
            }
        }
        plot.setFixedLegendItems(legend);
        return chart(title, subtitle, plot);
    }

    /** A curve's waits at percentiles spaced evenly on the 1 / (1 - p) axis; at most a few hundred points. */
    private static XYSeries percentiles(Curve c, double floorMicros) {
        XYSeries s = new XYSeries(c.name(), true, false);
        long[] w = c.sortedNanos();
        int n = w.length;
        int steps = 300;
        for (int k = 0; k <= steps; k++) {
            double x = Math.pow(n, (double) k / steps); // 1 .. n
            int i = (int) Math.min(n - 1, Math.max(0, Math.round(n - n / x)));
            s.addOrUpdate((double) n / (n - i), Math.max(floorMicros, w[i] / 1e3));
        }
        return s;
    }

    private static ValueMarker guide(double x, String label) {
        ValueMarker m = new ValueMarker(x, Color.GRAY, GUIDE);
        m.setLabel(label);
        m.setLabelFont(SMALL);
        m.setLabelPaint(Color.DARK_GRAY);
        m.setLabelBackgroundColor(LABEL_BACKGROUND);
        m.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
        m.setLabelOffset(new RectangleInsets(4, 3, 4, 3));
        return m;
    }

    /**
     * A ratio chart: ft4j's speed over each anchor's, with each ratio's error bar and the parity line at 1.0. Against
     * the thread count where the lines have several; otherwise one column per line, named under the axis. Lines at
     * the same thread count are drawn a little apart so that their bars stay readable. The ratio axis is logarithmic
     * where the ratios differ by more than 8x, so that 0.5x and 2x sit as far from parity; there an error bar that
     * reaches zero or below is drawn down to the bottom edge.
     *
     * @param notes lines printed under the chart (what it leaves out), none for none
     */
    static JFreeChart ratios(String title, String subtitle, List<RatioLine> lines, List<String> notes) {
        java.util.SortedSet<Integer> counts = new java.util.TreeSet<>();
        double minRatio = Double.MAX_VALUE;
        double maxRatio = 0;
        double top = 1;
        double bottom = 1;
        for (RatioLine l : lines) {
            for (int i = 0; i < l.threads().length; i++) {
                double r = l.ratio()[i];
                double e = Double.isFinite(l.error()[i]) ? l.error()[i] : 0;
                counts.add(l.threads()[i]);
                minRatio = Math.min(minRatio, r);
                maxRatio = Math.max(maxRatio, r);
                top = Math.max(top, r + e);
                bottom = Math.min(bottom, r - e);
            }
        }
        if (counts.isEmpty()) {
            counts.add(1);
            minRatio = maxRatio = 1;
        }
        minRatio = Math.min(minRatio, 1); // parity is always in view
        maxRatio = Math.max(maxRatio, 1);
        boolean columns = counts.size() == 1;
        List<String> footer = new ArrayList<>(notes);
        double cap = 3 * maxRatio; // an error bar many times the ratio says "unknown"; do not let it flatten the rest
        if (top > cap) {
            footer.add("Error bars taller than the chart are cut at its top edge.");
        }
        String label = "speed ratio, ft4j / anchor";
        ValueAxis ratio;
        double floor;
        if (maxRatio / minRatio > 8) {
            LogAxis log = new LogAxis(label + " (log scale)");
            log.setNumberFormatOverride(new Format(v -> trim(v) + "x"));
            // whole decades, a little beyond so that the end ticks are labelled
            double lo = Math.pow(10, Math.floor(Math.log10(minRatio / 1.5))) / 1.3;
            double hi = Math.pow(10, Math.ceil(Math.log10(Math.min(top, cap) * 1.2))) * 1.3;
            log.setRange(lo, hi);
            log.setTickUnit(new NumberTickUnit(1)); // a tick a decade: 0.1x, 1x, 10x
            log.setMinorTickCount(9);
            log.setMinorTickMarksVisible(true);
            ratio = log;
            floor = lo;
            if (bottom <= 0) {
                footer.add("Error bars that reach zero or below are drawn down to the bottom edge.");
            }
        } else {
            NumberAxis linear = new NumberAxis(label);
            linear.setNumberFormatOverride(new Format(v -> trim(v) + "x"));
            double hi = Math.max(1.1, Math.min(top, cap));
            double lo = Math.max(0, Math.min(0.9, bottom));
            double pad = (hi - lo) * 0.06;
            linear.setRange(Math.max(0, lo - pad), hi + pad);
            linear.setTickUnit(new NumberTickUnit(niceStep((hi - lo) / 6)));
            ratio = linear;
            floor = 0;
            if (bottom < 0) {
                footer.add("Error bars that reach below 0x end at the bottom edge.");
            }
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(!columns);
        renderer.setDefaultShapesVisible(true);
        renderer.setCapLength(8);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        double spread = Math.min(0.12, 0.5 / Math.max(1, lines.size()));
        String[] names = new String[lines.size()];
        for (int j = 0; j < lines.size(); j++) {
            RatioLine l = lines.get(j);
            YIntervalSeries s = new YIntervalSeries(l.name());
            double shift = columns ? 0 : (j - (lines.size() - 1) / 2.0) * spread;
            for (int i = 0; i < l.threads().length; i++) {
                double r = l.ratio()[i];
                double e = Double.isFinite(l.error()[i]) ? l.error()[i] : 0;
                s.add(columns ? j : l.threads()[i] + shift, r, Math.max(floor, r - e), r + e);
            }
            data.addSeries(s);
            renderer.setSeriesPaint(j, PALETTE[j % PALETTE.length]);
            renderer.setSeriesStroke(j, LINE);
            renderer.setSeriesShape(j, new java.awt.geom.Ellipse2D.Double(-4, -4, 8, 8));
            int vs = l.name().indexOf(" vs ");
            names[j] = vs > 0 ? l.name().substring(0, vs) : l.name();
        }
        ValueAxis across;
        if (columns) {
            SymbolAxis workloads = new SymbolAxis(counts.first() + (counts.first() == 1 ? " thread" : " threads"),
                    names);
            workloads.setRange(-0.6, lines.size() - 0.4);
            workloads.setGridBandsVisible(false);
            across = workloads;
        } else {
            NumberAxis threads = new NumberAxis("threads");
            threads.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            threads.setRange(counts.first() - 0.5, counts.last() + 0.5);
            across = threads;
        }
        across.setLabelFont(TEXT);
        across.setTickLabelFont(SMALL);
        ratio.setLabelFont(TEXT);
        ratio.setTickLabelFont(SMALL);
        XYPlot plot = new XYPlot(data, across, ratio, renderer);
        style(plot);
        // the parity line is named in the legend, where its label cannot cover a point
        Stroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                0f);
        plot.addRangeMarker(new ValueMarker(1.0, Color.BLACK, dashed), Layer.BACKGROUND);
        LegendItemCollection legend = plot.getLegendItems();
        legend.add(new LegendItem("1.0x: as fast as the anchor", null, null, null, new Line2D.Double(-12, 0, 12, 0),
                dashed, Color.BLACK));
        plot.setFixedLegendItems(legend);
        JFreeChart chart = chart(title, subtitle, plot);
        for (String note : footer) {
            TextTitle t = new TextTitle(note, SMALL);
            t.setPosition(RectangleEdge.BOTTOM);
            t.setHorizontalAlignment(HorizontalAlignment.LEFT);
            t.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(t);
        }
        return chart;
    }

    /** The 1, 2 or 5 times a power of ten nearest above {@code raw}: a tick step people read at a glance. */
    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setOutlinePaint(Color.GRAY);
    }

    private static JFreeChart chart(String title, String subtitle, org.jfree.chart.plot.Plot plot) {
        JFreeChart chart = new JFreeChart(title, TITLE, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(6, 10, 6, 14));
        if (subtitle != null && !subtitle.isEmpty()) {
            TextTitle sub = new TextTitle(subtitle, TEXT);
            sub.setPaint(Color.DARK_GRAY);
            chart.addSubtitle(0, sub);
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(TEXT);
        legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
        legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 14));
        return chart;
    }

    /**
     * Writes the chart as a standalone SVG file.
     *
     * @param width width in pixels
     * @param height height in pixels
     * @throws IOException if the file cannot be written
     */
    static void writeSvg(JFreeChart chart, int width, int height, Path file) throws IOException {
        SVGGraphics2D g = new SVGGraphics2D(width, height);
        chart.draw(g, new Rectangle(width, height));
        Files.writeString(file, g.getSVGDocument());
    }

    /** A wait in microseconds as people write it: 0.5 us, 50 us, 5 ms, 1.5 s. */
    static String micros(double us) {
        if (us >= 1e6) {
            return trim(us / 1e6) + " s";
        }
        if (us >= 1e3) {
            return trim(us / 1e3) + " ms";
        }
        return trim(us) + " \u00b5s";
    }

    /** The percentile p of a point at x = 1 / (1 - p): 1 is p0, 10 is p90, 100 is p99, 1000 is p99.9. */
    static String percentile(double x) {
        double p = 100 * (1 - 1 / x);
        if (x < 1.0001) {
            return "0%";
        }
        String s = String.format(Locale.ROOT, "%.4f", p).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    /** A number with no trailing zeros, three significant digits at most below 100. */
    static String trim(double v) {
        String s = Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v)
                : String.format(Locale.ROOT, "%.3g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }

    /** A tick label format from a function, for JFreeChart's axes (which take a NumberFormat). */
    private static final class Format extends NumberFormat {
        private final java.util.function.DoubleFunction<String> f;

        Format(java.util.function.DoubleFunction<String> f) {
            this.f = f;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(f.apply(number));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return to.append(f.apply(number));
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("tick labels are only written");
        }
    }
}
