// The portal's one chart renderer (issues 18 and 19: one charting library, vendored, Chinese
// locale): Apache ECharts from static/vendor/echarts/. A page includes templates/portal/_chart.html,
// which writes a container <div data-chart="ID"> and a json_script tag with that ID holding
//   {type: "bar"|"line"|"pie", title, unit, categories: [...], series: [{name, data: [...]}],
//    horizontal (bar only, optional), max (value axis, optional), decimals (a count axis may show
//    fractions, optional), empty (text when there is no data)}
// This file finds every such container and draws it. No inline script (the CSP allows 'self' only),
// no toolbox (its titles would be English), the locale follows <html lang>.
(function () {
  "use strict";

  var lang = (document.documentElement.lang || "zh-hans").toLowerCase();
  var LOCALE = lang.indexOf("zh") === 0 ? "ZH" : "EN";
  var numbers = new Intl.NumberFormat(LOCALE === "ZH" ? "zh-CN" : "en", {maximumFractionDigits: 1});

  function formatValue(value, unit) {
    if (value === null || value === undefined || value === "") { return "-"; }
    var text = numbers.format(value);
    return unit === "%" ? text + "%" : (unit ? text + " " + unit : text);
  }

  function hasData(spec) {
    return (spec.series || []).some(function (s) {
      return (s.data || []).some(function (v) { return v !== null && v !== undefined; });
    });
  }

  function option(spec) {
    var unit = spec.unit || "";
    var series = spec.series || [];
    var categories = spec.categories || [];
    var base = {
      aria: {enabled: true},
      animation: false,
      title: spec.title ? {text: spec.title, left: 0, textStyle: {fontSize: 14, fontWeight: 600}} : undefined,
      tooltip: {
        trigger: spec.type === "pie" ? "item" : "axis",
        valueFormatter: function (v) { return formatValue(v, unit); }
      }
    };
    if (!hasData(spec)) {
      base.graphic = {type: "text", left: "center", top: "middle",
                      style: {text: spec.empty || "-", fontSize: 14, fill: "#6c757d"}};
      return base;
    }
    if (spec.type === "pie") {
      var first = series[0] || {data: []};
      base.legend = {bottom: 0, type: "scroll"};
      base.series = [{
        type: "pie", name: first.name, radius: ["35%", "65%"],
        label: {formatter: function (p) { return p.name + " " + formatValue(p.value, unit); }},
        data: categories.map(function (name, i) { return {name: name, value: first.data[i]}; })
      }];
      return base;
    }
    var valueAxis = {
      type: "value", name: unit, min: 0, max: spec.max === undefined ? (unit === "%" ? 100 : null) : spec.max,
      // counts are whole numbers: no 0.5 event on the axis (spec.decimals allows fractions, e.g. scores)
      minInterval: unit === "%" || spec.decimals ? 0 : 1,
      axisLabel: {formatter: function (v) { return formatValue(v, unit === "%" ? "%" : ""); }}
    };
    var categoryAxis = {type: "category", data: categories, axisLabel: {hideOverlap: true}};
    var horizontal = spec.type === "bar" && spec.horizontal;
    base.grid = {left: 8, right: 24, top: spec.title ? 48 : 24, bottom: series.length > 1 ? 40 : 8, containLabel: true};
    if (series.length > 1) { base.legend = {bottom: 0, type: "scroll"}; }
    base.xAxis = horizontal ? valueAxis : categoryAxis;
    base.yAxis = horizontal ? Object.assign({}, categoryAxis, {inverse: true}) : valueAxis;
    base.series = series.map(function (s) {
      return {type: spec.type === "line" ? "line" : "bar", name: s.name, data: s.data,
              connectNulls: false, barMaxWidth: 28};
    });
    return base;
  }

  function draw(el) {
    if (typeof echarts === "undefined") { return; }
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec;
    try { spec = JSON.parse(source.textContent); } catch (e) { return; }
    var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, {locale: LOCALE});
    chart.setOption(option(spec), true);
    el.setAttribute("data-chart-drawn", "");
    if (typeof ResizeObserver !== "undefined" && !el._portalChartObserver) {
      // a chart first drawn in a hidden or narrow container follows its container's size
      el._portalChartObserver = new ResizeObserver(function () { chart.resize(); });
      el._portalChartObserver.observe(el);
    }
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    Array.prototype.forEach.call(scope.querySelectorAll("[data-chart]"), draw);
  }

  window.portalCharts = {draw: draw, drawAll: drawAll, formatValue: formatValue};
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  // content that htmx swaps in may carry charts of its own
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
  window.addEventListener("resize", function () {
    if (typeof echarts === "undefined") { return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (el) {
      var chart = echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
