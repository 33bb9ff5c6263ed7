/* The security dashboard's charts (secops.selfchecks): each <div data-chart="id"> is drawn from the
   JSON of <script type="application/json" id="chart-id"> with the vendored ECharts, in the page's
   language (data-locale on the container). No inline script: CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  function draw(el) {
    var spec = JSON.parse(document.getElementById("chart-" + el.dataset.chart).textContent);
    var chart = echarts.init(el, null, { locale: el.dataset.locale || "ZH" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 40, bottom: 40, containLabel: true },
      xAxis: { type: "category", data: spec.categories },
      yAxis: { type: "value", minInterval: 1 },
      series: spec.series.map(function (s) {
        return { name: s.name, type: spec.type, data: s.data, stack: spec.stack ? "total" : undefined };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.drawn = "1";
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
