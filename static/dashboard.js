// The dashboard page: reads its JSON (governance.dashboard) and draws it. Every figure, label
// and colour comes from the JSON; this script computes none.
(function () {
  "use strict";
  const root = document.getElementById("dashboard");
  if (!root) return;
  const text = (key) => root.dataset["text" + key];
  const period = root.dataset.period;

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v);
    });
    (children || []).forEach((c) => node.appendChild(c));
    return node;
  }

  function periods(data) {
    const select = document.getElementById("period");
    select.appendChild(el("option", { value: "live", text: text("Live") }));
    data.periods.forEach((p) => {
      const label = p.period + (p.approved ? " " + text("Approved") : "");
      select.appendChild(el("option", { value: p.period, text: label }));
    });
    select.value = data.period;
    select.addEventListener("change", () => select.form.submit());
  }

  function standing(data) {
    document.getElementById("standing").textContent = data.standing;
    if (data.up) {
      const up = document.getElementById("up");
      up.append(" › ");
      up.appendChild(el("a", { href: data.up.url, text: data.up.name }));
    }
  }

  function cards(data) {
    const box = document.getElementById("cards");
    data.cards.forEach((c) => {
      const card = el("div", { class: "card" + (c.flag ? " flag-" + c.flag : ""), "data-code": c.code }, [
        el("div", { class: "card-name", text: c.name + (c.unit && c.kind !== "ratio" ? "（" + c.unit + "）" : "") }),
        c.url ? el("a", { class: "card-value", href: c.url, text: c.label }) : el("div", { class: "card-value", text: c.label }),
        el("div", { class: "card-change", text: c.change_text }),
      ]);
      box.appendChild(card);
    });
  }

  function compare(data) {
    if (!data.rows.length) return;
    document.getElementById("compare").hidden = false;
    document.getElementById("attention").textContent = data.attention;
    const rules = document.getElementById("rules");
    data.rules.forEach((r) => rules.appendChild(el("li", { text: r.text })));
    const table = document.getElementById("compare-table");
    const head = el("tr", {}, [el("th", { text: data.scope.rows_label })]);
    data.columns.forEach((c) => head.appendChild(el("th", { text: c.name })));
    table.tHead.appendChild(head);
    data.rows.forEach((row) => {
      const tr = el("tr", { "data-key": String(row.key) }, [
        el("td", {}, [el("a", { href: row.url, text: row.name })]),
      ]);
      data.columns.forEach((c) => {
        const flag = row.flags[c.code];
        const url = row.urls && row.urls[c.code];
        tr.appendChild(el("td", { class: "num" + (flag ? " flag-" + flag : "") },
          [url ? el("a", { href: url, text: row.labels[c.code] }) : document.createTextNode(row.labels[c.code])]));
      });
      table.tBodies[0].appendChild(tr);
    });
  }

  function chartTable(chart) {
    const table = el("table", { class: "ledger chart-table" });
    const head = el("tr", {}, [el("th", { text: "" })]);
    chart.series.forEach((s) => head.appendChild(el("th", { text: s.name })));
    table.appendChild(el("thead", {}, [head]));
    const body = el("tbody");
    chart.categories.forEach((name, i) => {
      const tr = el("tr", {}, [el("th", { text: name })]);
      chart.series.forEach((s) => tr.appendChild(el("td", { class: "num", text: s.labels[i] })));
      body.appendChild(tr);
    });
    table.appendChild(body);
    return table;
  }

  function option(chart) {
    const percent = chart.percent;
    // Axis ticks of a rate (0–1) read as percentages.
    const axisLabel = percent ? { formatter: (v) => Math.round(v * 100) + "%" } : {};
    const series = chart.series.map((s) => ({
      name: s.name,
      type: chart.kind,
      data: s.values,
      label: { show: chart.kind === "bar" && chart.categories.length <= 16, position: "top",
               formatter: (p) => s.labels[p.dataIndex] },
    }));
    if (chart.target) {
      series[0].markLine = { symbol: "none", data: [{ yAxis: chart.target.value, name: chart.target.name }],
                             label: { position: "insideEndTop", formatter: chart.target.name + " " + chart.target.label } };
    }
    if (chart.horizontal) {  // long or many category names read best down the side
      series.forEach((s, i) => { s.label = { show: true, position: "right", formatter: (p) => chart.series[i].labels[p.dataIndex] }; });
      if (chart.target) {
        series[0].markLine = { symbol: "none", data: [{ xAxis: chart.target.value, name: chart.target.name }],
                               label: { position: "end", formatter: chart.target.name + " " + chart.target.label } };
      }
      return {
        animation: false,
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        grid: { left: 8, right: 72, top: chart.target ? 24 : 8, bottom: 8, containLabel: true },
        yAxis: { type: "category", data: chart.categories, inverse: true },
        xAxis: { type: "value", axisLabel: axisLabel, max: percent ? 1 : undefined, minInterval: percent ? undefined : 1 },
        series: series,
      };
    }
    return {
      animation: false,
      tooltip: {
        trigger: "axis",
        formatter: (items) => {
          // The tooltip is HTML: names typed by users are escaped.
          const escape = echarts.format.encodeHTML;
          const rows = items.map((p) => escape(chart.series[p.seriesIndex].name + "：" + chart.series[p.seriesIndex].labels[p.dataIndex]));
          return [items.length ? escape(chart.categories[items[0].dataIndex]) : ""].concat(rows).join("<br>");
        },
      },
      legend: chart.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: 56, right: 24, top: chart.series.length > 1 ? 36 : 24, bottom: 64 },
      xAxis: { type: "category", data: chart.categories, axisLabel: { interval: 0, rotate: chart.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", axisLabel: axisLabel, max: percent ? 1 : undefined, minInterval: percent ? undefined : 1 },
      series: series,
    };
  }

  function charts(data) {
    const box = document.getElementById("charts");
    data.charts.forEach((chart) => {
      const canvas = el("div", { class: "chart", id: "chart-" + chart.key });
      // Bars down the side need a line each: 20 sites get a taller chart than 5 channels.
      if (chart.horizontal) canvas.style.height = Math.max(300, 28 * chart.categories.length + 48) + "px";
      const table = chartTable(chart);
      table.hidden = true;
      const toggle = el("button", { type: "button", class: "toggle", text: text("Table") });
      toggle.addEventListener("click", () => {
        table.hidden = !table.hidden;
        canvas.hidden = !table.hidden;
        toggle.textContent = table.hidden ? text("Table") : text("Chart");
      });
      const figure = el("figure", { class: "chart-box", "data-key": chart.key }, [
        el("figcaption", {}, [el("span", { text: chart.title + (chart.unit && !chart.percent ? "（" + chart.unit + "）" : "") }), toggle]),
        canvas,
        table,
      ]);
      box.appendChild(figure);
      if (!chart.categories.length) {
        canvas.appendChild(el("p", { class: "muted", text: data.no_data }));
        return;
      }
      const instance = echarts.init(canvas);
      instance.setOption(option(chart));
      if (chart.links) {
        instance.on("click", (params) => {
          const url = chart.links[params.dataIndex];
          if (url) window.location.href = url;
        });
      }
      window.addEventListener("resize", () => instance.resize());
    });
  }

  function links(data) {
    if (!data.links.length) return;
    const section = document.getElementById("links");
    section.hidden = false;
    data.links.forEach((l) => section.querySelector("ul").appendChild(el("li", {}, [el("a", { href: l.url, text: l.name })])));
  }

  const url = root.dataset.api + (period && period !== "live" ? "?period=" + encodeURIComponent(period) : "");
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
    .then(({ ok, data }) => {
      if (!ok) {
        document.getElementById("standing").textContent = data.detail || JSON.stringify(data);
        return;
      }
      periods(data);
      standing(data);
      cards(data);
      compare(data);
      charts(data);
      links(data);
      root.dataset.ready = "true";
    });
})();
