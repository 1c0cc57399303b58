/*
 * The link chart (safehold/networks/chart.py): for every element with data-link-chart="ID",
 * reads the elements embedded as <script type="application/json" id="ID"> and draws them with
 * Cytoscape.js in place of the server-drawn picture, at the server's positions (a "preset"
 * layout: nothing is laid out in the browser). Entities carry their type's shape, colour and
 * pictogram; links their name. Tapping an entity (or Enter on the one in focus) opens the
 * chart around it; the table below the chart has every link for screen readers and keyboards.
 * When the first frame is drawn the container gets data-link-chart-drawn="true", and the page's
 * timeline the marks link-chart-start, link-chart-laid-out and link-chart-drawn (what
 * bench/network_chart.py measures; harmless elsewhere).
 * Plain ES2017, no build step; cytoscape.min.js is loaded before this file.
 */
(function () {
  "use strict";

  function style(config) {
    var rules = [
      {
        selector: "node",
        style: {
          label: "data(label)", "font-size": 11, "text-valign": "bottom", "text-margin-y": 4,
          "text-wrap": "ellipsis", "text-max-width": 160, color: "#0b0c0c",
          width: 26, height: 26, "background-fit": "contain", "border-width": 0,
        },
      },
      {
        selector: "edge",
        style: {
          label: "data(label)", "font-size": 9, color: "#505a5f", width: 1.2,
          "line-color": "#6f777b", "curve-style": "bezier", "text-rotation": "autorotate",
          "text-background-color": "#ffffff", "text-background-opacity": 1,
        },
      },
      { selector: "node:selected", style: { "border-width": 4, "border-color": "#ffdd00" } },
      { selector: ".link-chart--faded", style: { opacity: 0.25 } },
    ];
    // Past `linkLabelsUpTo` links (the server's picture names none then) a link's name shows
    // once zoomed in enough to read it: at a big chart's fitted zoom the names overlap, and
    // drawing them doubles the cost of every frame. The table names every link.
    if (config.edges.length > config.linkLabelsUpTo) {
      rules.push({ selector: "edge", style: { "min-zoomed-font-size": 12 } });
    }
    Object.keys(config.styles).forEach(function (type) {
      var s = config.styles[type];
      rules.push({
        selector: 'node[type = "' + type + '"]',
        style: { shape: s.shape, "background-color": s.colour, "background-image": s.icon },
      });
    });
    return rules;
  }

  function mark(name) {
    if (window.performance && typeof performance.mark === "function") {
      performance.mark(name);
    }
  }

  function draw(container) {
    if (container.dataset.linkChartReady === "true" || typeof cytoscape === "undefined") {
      return null;
    }
    mark("link-chart-start");
    var source = document.getElementById(container.dataset.linkChart);
    var canvas = container.querySelector(".link-chart__canvas");
    if (!source || !canvas) {
      return null;
    }
    var config = JSON.parse(source.textContent);
    // The server's picture moves out of Cytoscape's way but stays: it is what is printed
    // (link_chart.css shows it on paper only; the live chart is not printed).
    var picture = document.createElement("div");
    picture.className = "link-chart__print";
    while (canvas.firstChild) {
      picture.appendChild(canvas.firstChild);
    }
    canvas.parentNode.insertBefore(picture, canvas.nextSibling);
    canvas.classList.add("link-chart__canvas--live");
    var cy = cytoscape({
      container: canvas,
      elements: { nodes: config.nodes, edges: config.edges },
      layout: { name: "preset", fit: true, padding: 24 },
      style: style(config),
      wheelSensitivity: 0.2,
      boxSelectionEnabled: false,
      ready: function () {
        mark("link-chart-laid-out");
      },
    });
    cy.one("render", function () {
      mark("link-chart-drawn");
      container.dataset.linkChartDrawn = "true";
    });
    var around = container.dataset.linkChartAround;
    function open(node) {
      if (around) {
        window.location.assign(around.replace("ENTITY", encodeURIComponent(node.id())));
      }
    }
    cy.on("tap", "node", function (event) {
      open(event.target);
    });
    // Hovering an entity fades what is not linked to it.
    cy.on("mouseover", "node", function (event) {
      var near = event.target.closedNeighborhood();
      cy.elements().not(near).addClass("link-chart--faded");
    });
    cy.on("mouseout", "node", function () {
      cy.elements().removeClass("link-chart--faded");
    });
    // The keyboard: arrow keys move between entities in reading order, Enter opens one.
    var order = cy.nodes().sort(function (a, b) {
      return a.position("y") - b.position("y") || a.position("x") - b.position("x");
    });
    var at = -1;
    canvas.setAttribute("tabindex", "0");
    canvas.addEventListener("keydown", function (event) {
      if (!order.length) {
        return;
      }
      if (event.key === "ArrowRight" || event.key === "ArrowDown") {
        at = (at + 1) % order.length;
      } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
        at = (at - 1 + order.length) % order.length;
      } else if (event.key === "Enter" && at >= 0) {
        open(order[at]);
        return;
      } else {
        return;
      }
      event.preventDefault();
      cy.nodes().unselect();
      order[at].select();
      var status = container.querySelector(".link-chart__status");
      if (status) {
        status.textContent = order[at].data("typeName") + ": " + order[at].data("label") +
          " (" + order[at].degree() + " links)";
      }
    });
    container.dataset.linkChartReady = "true";
    container.linkChart = cy;
    return cy;
  }

  function drawAll() {
    document.querySelectorAll("[data-link-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
  window.SafeholdLinkChart = { draw: draw };
})();
