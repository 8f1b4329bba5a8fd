package io.kemu.bench;

import io.kemu.bench.BenchStore.Result;
import java.util.Locale;
import java.util.Map;

/** A self-contained HTML page with SVG bar charts of one benchmark run: ops/s and p99 per workload and store. */
final class Chart {
  private Chart() {}

  static String html(Map<String, Map<String, Result>> byWorkload, String stamp) {
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>kemu etcd-store vs etcd ").append(stamp)
        .append("</title><style>body{font-family:sans-serif;margin:24px}table{border-collapse:collapse}"
            + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#eee}</style></head><body>")
        .append("<h2>kemu etcd-store vs etcd 3.4, ").append(stamp).append("</h2>");
    b.append("<h3>Throughput (ops/s; watch: events delivered/s)</h3>");
    b.append(bars(byWorkload, true));
    b.append("<h3>p99 latency (ms, lower is better)</h3>");
    b.append(bars(byWorkload, false));
    b.append("<h3>Figures</h3><table><tr><th>workload</th><th>store</th><th>ops/s</th><th>p50 ms</th><th>p99 ms</th>"
        + "<th>errors</th></tr>");
    for (var e : byWorkload.entrySet()) {
      for (Result r : e.getValue().values()) {
        b.append(String.format(Locale.ROOT, "<tr><td>%s</td><td>%s</td><td>%.0f</td><td>%.2f</td><td>%.2f</td>"
            + "<td>%d</td></tr>", r.workload(), r.store(), r.opsPerSec(), r.pct(0.5), r.pct(0.99), r.errors()));
      }
    }
    return b.append("</table></body></html>\n").toString();
  }

  /** One group of two bars per workload, each group scaled to its own maximum (workloads differ by orders). */
  private static String bars(Map<String, Map<String, Result>> byWorkload, boolean throughput) {
    int groupWidth = 150;
    int height = 220;
    int top = 20;
    int width = 40 + groupWidth * byWorkload.size();
    StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-size=\"11\">", width, height + 60));
    int x = 30;
    for (var e : byWorkload.entrySet()) {
      double max = 0;
      for (Result r : e.getValue().values()) {
        max = Math.max(max, metric(r, throughput));
      }
      int i = 0;
      for (Result r : e.getValue().values()) {
        double v = metric(r, throughput);
        int h = max <= 0 || Double.isNaN(v) ? 0 : (int) Math.round(height * v / max);
        String color = r.store().equals("kemu") ? "#3b7dd8" : "#e07b39";
        int bx = x + 20 + i * 50;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"40\" height=\"%d\" fill=\"%s\"/>", bx,
            top + height - h, h, color));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", bx + 20,
            top + height - h - 4, throughput ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v)));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>", bx + 20,
            top + height + 14, r.store()));
        i++;
      }
      s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>",
          x + 65, top + height + 32, e.getKey()));
      x += groupWidth;
    }
    s.append(String.format(Locale.ROOT, "<line x1=\"20\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>", top + height,
        width - 10, top + height));
    return s.append("</svg>").toString();
  }

  private static double metric(Result r, boolean throughput) {
    return throughput ? r.opsPerSec() : r.pct(0.99);
  }
}
