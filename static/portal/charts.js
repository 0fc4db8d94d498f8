// Draws every <canvas data-chart="ID"> from the JSON of <script id="ID"> (portal.charts.Chart
// .data(), written by the page with json_script): pages declare figures, never code. The
// colour of a series is the background of its CSS class (portal.css), as on the legends.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") return;

  const FALLBACK = ["#0d6efd", "#198754", "#ffc107", "#dc3545", "#6f42c1", "#20c997", "#adb5bd"];

  const colourOf = (css, n) => {
    if (!css) return FALLBACK[n % FALLBACK.length];
    const probe = document.createElement("span");
    probe.className = css;
    probe.hidden = true;
    document.body.appendChild(probe);
    const colour = getComputedStyle(probe).backgroundColor;
    probe.remove();
    const unset = !colour || colour === "transparent" || colour === "rgba(0, 0, 0, 0)";
    return unset ? FALLBACK[n % FALLBACK.length] : colour;
  };

  const draw = (canvas) => {
    const source = document.getElementById(canvas.dataset.chart);
    if (!source) return;
    const spec = JSON.parse(source.textContent);
    const round = spec.kind === "doughnut";
    const colours = spec.series.map((s, n) => colourOf(s.css, n));
    const datasets = round
      ? [
          {
            label: spec.title,
            data: spec.series.map((s) => s.values[0]),
            backgroundColor: colours,
          },
        ]
      : spec.series.map((s, n) => ({
          label: s.label,
          data: s.values,
          backgroundColor: colours[n],
        }));
    const labels = round ? spec.series.map((s) => s.label) : spec.labels;
    // A horizontal bar per category: the box grows with the categories (long names stay
    // readable), a doughnut or vertical chart keeps a fixed height.
    const box = canvas.parentElement;
    const row = spec.stacked ? 28 : Math.max(28, 10 * spec.series.length + 8);
    const height = spec.horizontal && !round ? 80 + row * spec.labels.length : 220;
    box.style.height = `${Math.min(height, 640)}px`;
    // Long names of categories are cut on the axis; the tooltip and the table give them whole.
    const short = function (value) {
      const label = String(this.getLabelForValue(value));
      return label.length > 38 ? `${label.slice(0, 37)}…` : label;
    };
    const values = { stacked: spec.stacked, beginAtZero: true, ticks: { precision: 0 } };
    const categories = { stacked: spec.stacked, ticks: { callback: short, autoSkip: false } };
    const axes = spec.horizontal ? { x: values, y: categories } : { x: categories, y: values };
    const chart = new window.Chart(canvas, {
      type: round ? "doughnut" : "bar",
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal && !round ? "y" : "x",
        scales: round ? {} : axes,
        plugins: { legend: { position: "bottom" } },
      },
    });
    canvas.dataset.chartDrawn = String(chart.data.datasets.length);
  };

  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
