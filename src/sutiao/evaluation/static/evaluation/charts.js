// The figures page's two charts, drawn by the vendored Apache ECharts from the page's JSON
// (no inline script: the CSP allows scripts from the app only).
(function () {
  "use strict";
  var source = document.getElementById("evaluation-chart-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  var monthly = document.getElementById("chart-monthly");
  if (monthly) {
    var chart = window.echarts.init(monthly, null, { renderer: "canvas" });
    var months = data.monthly.map(function (m) { return m.month; });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 30, top: 30 },
      xAxis: { type: "category", data: months },
      yAxis: { type: "value" },
      series: ["received", "settled", "failed"].map(function (k) {
        return { name: data.labels[k], type: k === "received" ? "bar" : "line",
                 data: data.monthly.map(function (m) { return m[k]; }) };
      })
    });
    charts.push(chart);
  }
  var kinds = document.getElementById("chart-ip-kind");
  if (kinds) {
    var pie = window.echarts.init(kinds, null, { renderer: "canvas" });
    pie.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "65%"],
                 data: data.ip_kind.map(function (r) { return { name: r[0], value: r[1] }; }) }]
    });
    charts.push(pie);
  }
  monthly && monthly.setAttribute("data-drawn", "1");
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
