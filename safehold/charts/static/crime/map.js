/*
 * The crime map component (safehold/crime/maps.py): for every element with
 * data-crime-map="ID", reads the GeoJSON embedded as <script type="application/json" id="ID">
 * and draws it with Leaflet in place of the server-drawn picture: the boundaries (each named
 * in a tooltip) and the data layer (each feature filled with its colour, its label in a
 * tooltip and a popup). No base map unless one is configured (CRIME_MAP_TILE_URL), so the
 * map works offline. Plain ES2017, no build step; Leaflet is loaded before this file.
 */
(function () {
  "use strict";

  var BOUNDARY_STYLE = { color: "#505a5f", weight: 1.2, fillColor: "#ffffff", fillOpacity: 0 };

  function labelled(feature, layer) {
    var label = feature.properties && feature.properties.label;
    if (label) {
      layer.bindTooltip(label, { sticky: true });
      layer.bindPopup(label);
    }
  }

  function draw(container) {
    if (container.dataset.crimeMapReady === "true" || typeof L === "undefined") {
      return null;
    }
    var source = document.getElementById(container.dataset.crimeMap);
    var canvas = container.querySelector(".crime-map__canvas");
    if (!source || !canvas) {
      return null;
    }
    var config = JSON.parse(source.textContent);
    // The server-drawn picture gives way to the live map.
    while (canvas.firstChild) {
      canvas.removeChild(canvas.firstChild);
    }
    canvas.classList.add("crime-map__canvas--live");
    var tiles = config.tiles || {};
    var map = L.map(canvas, {
      attributionControl: Boolean(tiles.url),
      scrollWheelZoom: false,
      zoomSnap: 0.25,
    });
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    }
    var boundaries = L.geoJSON(config.boundaries, {
      style: function () {
        return BOUNDARY_STYLE;
      },
      onEachFeature: labelled,
    }).addTo(map);
    var data = L.geoJSON(config.layer, {
      style: function (feature) {
        return {
          color: "#0b0c0c",
          weight: 0.6,
          fillColor: feature.properties.fill || "#ffffff",
          // Solid, so the shades match the key; see-through over a base map.
          fillOpacity: tiles.url ? 0.7 : 1,
        };
      },
      onEachFeature: labelled,
    }).addTo(map);
    var extent = boundaries.getLayers().length ? boundaries.getBounds() : data.getBounds();
    if (extent.isValid()) {
      map.fitBounds(extent, { padding: [6, 6] });
    } else {
      map.setView([53.41, -2.16], 11);
    }
    container.dataset.crimeMapReady = "true";
    return map;
  }

  function drawAll() {
    var containers = document.querySelectorAll("[data-crime-map]");
    for (var i = 0; i < containers.length; i += 1) {
      draw(containers[i]);
    }
  }

  window.SafeholdCrimeMap = { draw: draw, drawAll: drawAll };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
