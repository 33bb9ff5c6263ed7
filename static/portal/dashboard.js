// Charts of the evaluation dashboard, drawn with the plotly.js that the portal serves itself.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Plotly === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var config = {displaylogo: false, responsive: true, staticPlot: false};
  var months = document.getElementById("chart-months");
  if (months) {
    var traces = data.series.map(function (s) {
      return {x: data.months, y: s.values, name: s.label, type: s.rate ? "scatter" : "bar",
              yaxis: s.rate ? "y2" : "y", mode: "lines+markers"};
    });
    Plotly.newPlot(months, traces, {
      margin: {t: 10, r: 50, l: 40, b: 40}, barmode: "group", legend: {orientation: "h"},
      yaxis2: {overlaying: "y", side: "right", range: [0, 100], ticksuffix: "%"}
    }, config);
  }
  var ranking = document.getElementById("chart-ranking");
  if (ranking) {
    var rows = data.ranking.slice().reverse();
    Plotly.newPlot(ranking, [{type: "bar", orientation: "h", x: rows.map(function (r) { return r.score; }),
                              y: rows.map(function (r) { return r.name; })}],
                   {margin: {t: 10, r: 10, l: 160, b: 30}, xaxis: {range: [0, 100]}}, config);
  }
});
