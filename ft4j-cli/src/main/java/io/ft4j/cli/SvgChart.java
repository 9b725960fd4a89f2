package io.ft4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as a standalone SVG file: axes with ticks, one polyline per series, a legend. Enough for ft4j's
 * demo and benchmark charts without a plotting dependency; any browser opens the result.
 */
final class SvgChart {
    /** One line: its name, colour, dash pattern (null for solid) and points. */
    record Series(String name, String color, String dash, double[] xs, double[] ys) {}

    private static final int W = 760;
    private static final int H = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 220;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final List<Series> series = new ArrayList<>();

    SvgChart(String title, String xLabel, String yLabel, boolean logX) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    private double tx(double x) {
        return logX ? Math.log10(Math.max(x, 1e-12)) : x;
    }

    String render() {
        double x0 = Double.MAX_VALUE;
        double x1 = -Double.MAX_VALUE;
        double y1 = 0;
        for (Series s : series) {
            for (int i = 0; i < s.xs().length; i++) {
                x0 = Math.min(x0, tx(s.xs()[i]));
                x1 = Math.max(x1, tx(s.xs()[i]));
                y1 = Math.max(y1, s.ys()[i]);
            }
        }
        if (x0 > x1) {
            x0 = 0;
            x1 = 1;
        }
        if (logX) {
            x0 = Math.floor(x0);
            x1 = Math.max(Math.ceil(x1), x0 + 1);
        } else if (x1 == x0) {
            x1 = x0 + 1;
        }
        y1 = y1 <= 0 ? 1 : niceCeil(y1);
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>%n", LEFT, esc(title)));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                + "stroke=\"#444\"/>%n", LEFT, TOP, pw, ph));
        // x ticks: decades on a log axis, five steps otherwise
        int steps = logX ? (int) (x1 - x0) : 5;
        for (int i = 0; i <= steps; i++) {
            double v = x0 + (x1 - x0) * i / steps;
            double px = LEFT + pw * i / steps;
            String label = logX ? fmt(Math.pow(10, v)) : fmt(v);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>%n",
                    px, TOP, px, TOP + ph, px, TOP + ph + 16, label));
        }
        for (int i = 0; i <= 5; i++) {
            double v = y1 * i / 5;
            double py = TOP + ph - ph * i / 5;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                    LEFT, py, LEFT + pw, py, LEFT - 6, py + 4, fmt(v)));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                LEFT + pw / 2, H - 12, esc(xLabel)));
        sb.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%.0f) rotate(-90)\" "
                + "text-anchor=\"middle\">%s</text>%n", TOP + ph / 2, esc(yLabel)));
        int row = 0;
        for (Series s : series) {
            StringBuilder pts = new StringBuilder();
            for (int i = 0; i < s.xs().length; i++) {
                double px = LEFT + pw * (tx(s.xs()[i]) - x0) / (x1 - x0);
                double py = TOP + ph - ph * s.ys()[i] / y1;
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            }
            String dash = s.dash() == null ? "" : " stroke-dasharray=\"" + s.dash() + "\"";
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s "
                    + "points=\"%s\"/>%n", s.color(), dash, pts.toString().strip()));
            if (s.xs().length == 1 || s.xs().length <= 12) {
                for (int i = 0; i < s.xs().length; i++) {
                    double px = LEFT + pw * (tx(s.xs()[i]) - x0) / (x1 - x0);
                    double py = TOP + ph - ph * s.ys()[i] / y1;
                    sb.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n",
                            px, py, s.color()));
                }
            }
            double ly = TOP + 10 + 20 * row++;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"%s\" "
                    + "stroke-width=\"2\"%s/><text x=\"%.0f\" y=\"%.0f\">%s</text>%n", LEFT + pw + 12, ly,
                    LEFT + pw + 36, ly, s.color(), dash, LEFT + pw + 42, ly + 4, esc(s.name())));
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e7) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.0f" : Math.abs(v) >= 1 ? "%.1f" : "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
