/* The map's sites: each kind one Leaflet layer, all drawn on one canvas from a k-d tree.
 *
 * Leaflet's canvas circle markers are one path object per site, every one of them projected
 * and redrawn on each pan and zoom (0.15-0.3 s per move at 10,000 sites). Here a kind's sites
 * are typed arrays decoded from the server's 21-byte records (geo/sitelayer.py) with a KDBush
 * index over their Web-Mercator positions. One canvas per map (SiteCanvas) draws the sites in
 * view from prepared sprites, keeps its drawing while a pan stays inside it, and answers hover
 * and click from the index. Above `agg.above` sites in view each kind is drawn as one circle
 * per subdistrict with its count (a click filters to it); zooming in shows the sites themselves.
 *
 * Record text is data: tooltips and popups are built from text nodes, never parsed as HTML.
 * A click on a site (or a subdistrict circle) fires "click" on its layer with a GeoJSON-like
 * `layer`, as a circle marker did, so streamlit-folium returns its properties to the app.
 *
 * Plain ES5 (no build step); needs Leaflet 1.9 and KDBush 4, both in static/vendor/.
 */
(function () {
  "use strict";
  if (L.SzSites) return;

  var RECORD_BYTES = 21;
  var EXACT = {radius: 7, weight: 1.5, fill: 0.95};
  var APPROXIMATE = {radius: 8, weight: 2.5, fill: 0.45};
  var HIT_PX = 10; // pointer distance (px) that still hits a site
  // A zoom level's whole drawing is kept (as a bitmap of every site at that zoom) while it
  // holds at most this many pixels: zooming back to a level then copies it instead of drawing
  // every site again. Two levels are kept, the one in view and the last one before it.
  var CACHE_PIXELS = 3072 * 3072;
  var CACHE_LEVELS = 2;

  function mercatorX(lon) { return lon / 360 + 0.5; }
  function mercatorY(lat) {
    var s = Math.sin(lat * Math.PI / 180);
    return 0.5 - 0.25 * Math.log((1 + s) / (1 - s)) / Math.PI;
  }
  function firstBit(bits) {
    for (var k = 0; k < 32; k++) if (bits & (1 << k)) return k;
    return 0;
  }
  function line(div, label, value, cls) {
    if (value === null || value === undefined || value === "") return;
    var row = document.createElement("div");
    if (cls) row.className = cls;
    if (label) {
      var span = document.createElement("span");
      span.textContent = label + ": ";
      row.appendChild(span);
    }
    row.appendChild(document.createTextNode(String(value)));
    div.appendChild(row);
  }

  /* One kind's sites (`d`: the payload of geo.sitelayer.site_payload; null: none). */
  var Sites = L.Layer.extend({
    initialize: function (d) {
      d = d || {n: 0, v: null, rec: "", streets: [], colors: []};
      var n = d.n, raw = atob(d.rec), bytes = new Uint8Array(raw.length);
      for (var b = 0; b < raw.length; b++) bytes[b] = raw.charCodeAt(b);
      var view = new DataView(bytes.buffer);
      this.d = d;
      this.n = n;
      this.v = d.v;
      this.lon = new Float64Array(n);
      this.lat = new Float64Array(n);
      this.x = new Float64Array(n); // Web Mercator, 0..1 across the world
      this.y = new Float64Array(n);
      this.row = new Uint32Array(n);
      this.prog = new Uint32Array(n);
      this.src = new Uint16Array(n);
      this.street = new Uint8Array(n);
      this.prec = new Uint8Array(n);
      this.year = new Uint8Array(n);
      this.style = new Uint8Array(n); // 2 * colour (first program) + approximate
      this.perStreet = new Uint32Array(d.streets.length);
      var minX = 1, minY = 1, maxX = 0, maxY = 0;
      for (var i = 0; i < n; i++) {
        var o = i * RECORD_BYTES;
        var lon = view.getInt32(o, true) / 1e5, lat = view.getInt32(o + 4, true) / 1e5;
        var x = mercatorX(lon), y = mercatorY(lat);
        this.lon[i] = lon;
        this.lat[i] = lat;
        this.x[i] = x;
        this.y[i] = y;
        this.row[i] = view.getUint32(o + 8, true);
        this.prog[i] = view.getUint32(o + 12, true);
        this.src[i] = view.getUint16(o + 16, true);
        this.street[i] = view.getUint8(o + 18);
        this.prec[i] = view.getUint8(o + 19);
        this.year[i] = view.getUint8(o + 20);
        this.style[i] = 2 * firstBit(this.prog[i]) + (this.prec[i] > 0 ? 1 : 0);
        this.perStreet[this.street[i]] += 1;
        if (x < minX) minX = x;
        if (x > maxX) maxX = x;
        if (y < minY) minY = y;
        if (y > maxY) maxY = y;
      }
      this.box = [minX, minY, maxX, maxY];
      if (n) {
        this.index = new KDBush(n);
        for (var k = 0; k < n; k++) this.index.add(this.x[k], this.y[k]);
        this.index.finish();
      }
      this.created = performance.now(); // decoded and indexed
    },

    onAdd: function (map) {
      this._canvas = SiteCanvas.of(map);
      this._canvas.addSites(this);
    },

    onRemove: function () {
      this._canvas.removeSites(this);
    },

    /* Site i's tooltip and popup: text nodes only. */
    content: function (i) {
      var d = this.d, div = document.createElement("div"), title = document.createElement("b");
      var full = !!d.name, programs = [];
      for (var k = 0; k < d.programs.length; k++) {
        if (this.prog[i] & (1 << k)) programs.push(d.programs[k]);
      }
      div.className = "sz-tip";
      title.textContent = full ? d.name[i] : d.kind;
      div.appendChild(title);
      if (full) line(div, d.f.kind, d.kind);
      line(div, d.f.subdistrict, d.streets[this.street[i]]);
      line(div, d.f.programs, (programs.length ? programs : [d.programs[0]]).join("、"));
      line(div, d.f.year, this.year[i] ? 1900 + this.year[i] : "");
      line(div, d.f.precision, d.precisions[this.prec[i]], this.prec[i] > 0 ? "sz-approx" : "");
      line(div, d.f.source, d.sources[this.src[i]]);
      if (!full) line(div, "", d.hint, "sz-hint");
      return div;
    },

    /* What a click returns to the app (as a circle marker's feature did). */
    featureOf: function (i) {
      var properties = {layer: "site", row: this.row[i], v: this.v};
      if (this.d.id) properties.id = this.d.id[i];
      return {type: "Feature", properties: properties,
              geometry: {type: "Point", coordinates: [this.lon[i], this.lat[i]]}};
    },

    latLngOf: function (i) { return L.latLng(this.lat[i], this.lon[i]); },

    /* Position of site `id` (data with names and ids only), or -1. */
    indexOf: function (id) { return this.d.id ? this.d.id.indexOf(id) : -1; },

    /* Subdistrict circles: [lat, lon, count, street] per subdistrict holding sites. */
    cells: function () {
      var agg = this.d.agg, out = [];
      var angle = 2 * Math.PI * agg.kind / agg.kinds;
      for (var s = 0; s < agg.seats.length; s++) {
        if (!this.perStreet[s]) continue;
        out.push([agg.seats[s][0] + 0.003 * Math.sin(angle),
                  agg.seats[s][1] + 0.004 * Math.cos(angle), this.perStreet[s], s]);
      }
      return out;
    },

    cellContent: function (cell) {
      var d = this.d, div = document.createElement("div"), b = document.createElement("b");
      div.className = "sz-tip";
      b.textContent = d.streets[cell[3]] + " · " + d.kind;
      div.appendChild(b);
      line(div, "", cell[2].toLocaleString() + " " + d.agg.unit);
      line(div, "", d.agg.hint, "sz-hint");
      return div;
    },

    cellFeatureOf: function (cell) {
      return {type: "Feature", properties: {layer: "aggregate", code: this.d.agg.codes[cell[3]],
                                            count: cell[2]},
              geometry: {type: "Point", coordinates: [cell[1], cell[0]]}};
    },

    /* For tests and tools: open site i's tooltip or popup as a hover or click would. */
    openTooltipFor: function (i) { return this._canvas.showTip({layer: this, i: i}); },
    openPopupFor: function (i) { return this._canvas.openPopup({layer: this, i: i}); },
    closeTooltipFor: function () { this._canvas.hideTip(); }
  });

  /* The one canvas of a map that draws every Sites layer on it, in the order they were added. */
  var SiteCanvas = L.Renderer.extend({
    options: {padding: 0.25}, // a pan within a quarter of the view needs no redraw

    initialize: function (options) {
      L.Renderer.prototype.initialize.call(this, options);
      this.sites = [];
      this.sprites = {};
      this.pending = false;
      this.generation = 0;
      this.changes = 0; // every layer added or removed: the kept drawings are out of date
      this.levels = [];
      this.windows = []; // the last drawings of levels too large to keep whole
      this._levelTooLarge = false;
      this.fromLevel = false; // the last drawing was copied from a kept level
      this.drawn = null;
      this.drawMs = null;
      this.mode = "points";
      this.shown = 0;
      this._hover = null;
    },

    _initContainer: function () {
      this._container = document.createElement("canvas");
      this._container.className = "sz-sites";
      this._container.style.pointerEvents = "none"; // the areas below keep their events
      this._ctx = this._container.getContext("2d");
    },

    _destroyContainer: function () {
      L.DomUtil.remove(this._container);
    },

    onAdd: function (map) {
      L.Renderer.prototype.onAdd.call(this, map);
      var container = map.getContainer(), self = this;
      this._dom = {
        mousedown: function (e) { self._down = [e.clientX, e.clientY]; },
        click: function (e) { self._onClick(e); },
        mousemove: function (e) { self._onMove(e); },
        mouseout: function (e) {
          if (self._synthetic) return;
          if (!e.relatedTarget || !container.contains(e.relatedTarget)) self.hideTip();
        }
      };
      // capture: the canvas must see a click on a site before the area under it does
      for (var type in this._dom) container.addEventListener(type, this._dom[type], true);
      this._tip = L.tooltip({className: "sz-site-tip", direction: "top", offset: [0, -8]});
      this._popup = L.popup();
    },

    onRemove: function (map) {
      var container = map.getContainer();
      for (var type in this._dom) container.removeEventListener(type, this._dom[type], true);
      this.hideTip();
      L.Renderer.prototype.onRemove.call(this, map);
    },

    getEvents: function () {
      var events = L.Renderer.prototype.getEvents.call(this);
      events.resize = this._reset;
      return events;
    },

    addSites: function (layer) {
      this.sites.push(layer);
      this.generation += 1;
      this.changes += 1;
      this._schedule();
    },

    removeSites: function (layer) {
      var at = this.sites.indexOf(layer);
      if (at >= 0) this.sites.splice(at, 1);
      this.changes += 1;
      if (this._hover && this._hover.layer === layer) this.hideTip();
      this._schedule();
    },

    /* One drawing once the current script is done (layers come and go in batches: a rerun
       removes every kind's layer and adds the new ones), before the next frame is painted. */
    _schedule: function () {
      if (this.pending) return;
      this.pending = true;
      var self = this;
      Promise.resolve().then(function () { if (self.pending && self._map) self._redraw(); });
    },

    _reset: function () {
      this._bounds = null;
      this._update();
    },

    /* On moveend: redraw unless the drawing still covers the view at the same zoom. */
    _update: function () {
      var map = this._map;
      if (!map || (map._animatingZoom && this._bounds)) return;
      if (!this.pending && this._bounds && map.getZoom() === this._zoom) {
        var view = L.bounds(map.containerPointToLayerPoint([0, 0]),
                            map.containerPointToLayerPoint(map.getSize()));
        if (this._bounds.contains(view)) return;
      }
      this._redraw();
    },

    _redraw: function () {
      var started = performance.now();
      L.Renderer.prototype._update.call(this); // the padded bounds, centre and zoom drawn
      var b = this._bounds, size = b.getSize(), ratio = L.Browser.retina ? 2 : 1;
      var canvas = this._container;
      L.DomUtil.setPosition(canvas, b.min);
      if (canvas.width !== ratio * size.x || canvas.height !== ratio * size.y) {
        canvas.width = ratio * size.x; // a new backing store: only when the size changes
        canvas.height = ratio * size.y;
        canvas.style.width = size.x + "px";
        canvas.style.height = size.y + "px";
      }
      this._ratio = ratio;
      this._draw(b, size);
      this.pending = false;
      this.drawn = performance.now();
      this.drawMs = this.drawn - started;
    },

    _draw: function (b, size) {
      var ctx = this._ctx, ratio = this._ratio, scale = 256 * Math.pow(2, this._zoom);
      var origin = this._map.getPixelOrigin();
      var left = origin.x + b.min.x, top = origin.y + b.min.y, margin = 12;
      var box = [(left - margin) / scale, (top - margin) / scale,
                 (left + size.x + margin) / scale, (top + size.y + margin) / scale];
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this._container.width, this._container.height);
      var lists = [], total = 0, above = Infinity;
      for (var l = 0; l < this.sites.length; l++) {
        var layer = this.sites[l], ids = null, count = layer.n;
        if (layer.d.agg) above = Math.min(above, layer.d.agg.above);
        if (layer.n && !(layer.box[0] >= box[0] && layer.box[2] <= box[2] &&
                         layer.box[1] >= box[1] && layer.box[3] <= box[3])) {
          ids = Uint32Array.from(layer.index.range(box[0], box[1], box[2], box[3])).sort();
          count = ids.length;
        }
        lists.push(ids);
        total += count;
      }
      this.shown = total;
      this.mode = total > above ? "aggregate" : "points";
      if (this.mode === "aggregate") {
        this._drawCells(ctx, scale, left, top, ratio);
        return;
      }
      var level = this._level(scale, ratio, margin);
      var key = this.changes + "/" + scale + "/" + ratio;
      if (!level && total) level = this._window(key, left, top, size);
      this.fromLevel = Boolean(level);
      if (level) {
        ctx.drawImage(level.canvas, Math.round((level.left - left) * ratio),
                      Math.round((level.top - top) * ratio));
        return;
      }
      this._stamp(ctx, lists, scale, left, top, ratio);
      if (total && this._levelTooLarge) this._keep(key, left, top, size);
    },

    /* A zoom level too large to keep whole: its last drawing (the view and its padding) is
       kept instead, so zooming in and back out copies it rather than stamping every site in
       view again. The drawing of `key` (changes/scale/ratio) that covers this view, or null. */
    _window: function (key, left, top, size) {
      for (var w = 0; w < this.windows.length; w++) {
        var kept = this.windows[w];
        if (kept.key === key && kept.left <= left && kept.top <= top &&
            kept.right >= left + size.x && kept.bottom >= top + size.y) return kept;
      }
      return null;
    },

    _keep: function (key, left, top, size) {
      var changes = this.changes, old = null, source = this._container;
      var others = this.windows.filter(function (kept) {
        if (kept.key === key) old = kept;
        return kept.changes === changes && kept.key !== key;
      });
      // the same level's last drawing is replaced: its canvas is reused when it fits
      var canvas = old && old.canvas.width === source.width && old.canvas.height === source.height
        ? old.canvas : document.createElement("canvas");
      canvas.width = source.width; // also clears it
      canvas.height = source.height;
      canvas.getContext("2d").drawImage(source, 0, 0);
      var kept = {key: key, changes: changes, canvas: canvas, left: left, top: top,
                  right: left + size.x, bottom: top + size.y};
      this.windows = [kept].concat(others).slice(0, CACHE_LEVELS);
    },

    /* Every site (or those of ``lists``, per layer: null for all) stamped on ``ctx`` whose
       top-left corner is the world pixel (left, top) at this zoom's ``scale``. */
    _stamp: function (ctx, lists, scale, left, top, ratio) {
      for (var m = 0; m < this.sites.length; m++) {
        var sites = this.sites[m], chosen = lists[m], end = chosen ? chosen.length : sites.n;
        var sprites = [], x = sites.x, y = sites.y, style = sites.style;
        for (var c = 0; c < sites.d.colors.length; c++) {
          sprites.push(this._sprite(sites.d.colors[c], false), this._sprite(sites.d.colors[c], true));
        }
        for (var k = 0; k < end; k++) {
          var i = chosen ? chosen[k] : k, sprite = sprites[style[i]];
          ctx.drawImage(sprite.image, Math.round((x[i] * scale - left) * ratio) - sprite.half,
                        Math.round((y[i] * scale - top) * ratio) - sprite.half);
        }
      }
    },

    /* This zoom level's whole drawing (every site, drawn once on a bitmap of their extent), or
       null when it would be too large: then only the sites in view are drawn, each time. */
    _level: function (scale, ratio, margin) {
      var key = this.changes + "/" + scale + "/" + ratio;
      this._levelTooLarge = false;
      for (var l = 0; l < this.levels.length; l++) {
        var kept = this.levels[l];
        if (kept.key !== key) continue;
        this.levels = [kept].concat(this.levels.slice(0, l), this.levels.slice(l + 1));
        return kept;
      }
      var box = [Infinity, Infinity, -Infinity, -Infinity], none = [];
      for (var m = 0; m < this.sites.length; m++) {
        var b = this.sites[m].box;
        none.push(null);
        if (!this.sites[m].n) continue;
        box = [Math.min(box[0], b[0]), Math.min(box[1], b[1]),
               Math.max(box[2], b[2]), Math.max(box[3], b[3])];
      }
      if (box[0] > box[2]) return null;
      var left = Math.floor(box[0] * scale) - margin, top = Math.floor(box[1] * scale) - margin;
      var width = Math.ceil((box[2] * scale - left + margin) * ratio);
      var height = Math.ceil((box[3] * scale - top + margin) * ratio);
      this._levelTooLarge = width * height > CACHE_PIXELS;
      if (this._levelTooLarge) return null;
      var canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      this._stamp(canvas.getContext("2d"), none, scale, left, top, ratio);
      var level = {key: key, changes: this.changes, canvas: canvas, left: left, top: top};
      var changes = this.changes;
      this.levels = [level].concat(this.levels.filter(function (kept) {
        return kept.changes === changes;
      })).slice(0, CACHE_LEVELS);
      return level;
    },

    _drawCells: function (ctx, scale, left, top, ratio) {
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      for (var l = 0; l < this.sites.length; l++) {
        var layer = this.sites[l];
        if (!layer.n) continue;
        var cells = layer.cells();
        ctx.fillStyle = layer.d.agg.color;
        ctx.strokeStyle = "#ffffff";
        ctx.lineWidth = 1.5;
        ctx.globalAlpha = 1;
        for (var c = 0; c < cells.length; c++) {
          var cell = cells[c], r = this._cellRadius(cell);
          ctx.beginPath();
          ctx.arc(mercatorX(cell[1]) * scale - left, mercatorY(cell[0]) * scale - top, r, 0,
                  2 * Math.PI);
          ctx.globalAlpha = 0.75;
          ctx.fill();
          ctx.globalAlpha = 1;
          ctx.stroke();
        }
      }
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    },

    _cellRadius: function (cell) { return 8 + 4 * Math.sqrt(cell[2] / 100); },

    /* A circle of one colour, drawn once and stamped for every site of that style. */
    _sprite: function (colour, approximate) {
      var key = colour + (approximate ? "~" : "");
      if (this.sprites[key]) return this.sprites[key];
      var look = approximate ? APPROXIMATE : EXACT, ratio = this._ratio || 1;
      var half = Math.ceil((look.radius + look.weight) * ratio) + 1;
      var image = document.createElement("canvas");
      image.width = image.height = 2 * half;
      var ctx = image.getContext("2d");
      ctx.scale(ratio, ratio);
      ctx.beginPath();
      ctx.arc(half / ratio, half / ratio, look.radius, 0, 2 * Math.PI);
      ctx.globalAlpha = look.fill;
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.lineWidth = look.weight;
      ctx.strokeStyle = approximate ? colour : "#ffffff";
      if (approximate) ctx.setLineDash([3, 3]);
      ctx.stroke();
      this.sprites[key] = {image: image, half: half};
      return this.sprites[key];
    },

    /* The site (or subdistrict circle) under a mouse event, topmost first, or null. */
    _hit: function (e) {
      if (!this._bounds || !this.sites.length) return null;
      var map = this._map, point = map.mouseEventToLayerPoint(e), origin = map.getPixelOrigin();
      var scale = 256 * Math.pow(2, map.getZoom());
      var wx = point.x + origin.x, wy = point.y + origin.y;
      for (var l = this.sites.length - 1; l >= 0; l--) {
        var layer = this.sites[l];
        if (!layer.n) continue;
        if (this.mode === "aggregate") {
          var cells = layer.cells();
          for (var c = cells.length - 1; c >= 0; c--) {
            var dx = mercatorX(cells[c][1]) * scale - wx, dy = mercatorY(cells[c][0]) * scale - wy;
            if (dx * dx + dy * dy <= Math.pow(this._cellRadius(cells[c]) + 1, 2)) {
              return {layer: layer, cell: cells[c]};
            }
          }
          continue;
        }
        var ids = layer.index.within(wx / scale, wy / scale, HIT_PX / scale);
        if (ids.length) return {layer: layer, i: Math.max.apply(null, ids)};
      }
      return null;
    },

    /* Only events on the map itself (its canvases, tiles or background), not on a popup,
       tooltip, label or control. */
    _ours: function (e) {
      var target = e.target, map = this._map;
      return target === map.getContainer() || target.tagName === "CANVAS" ||
        map.getPane("tilePane").contains(target);
    },

    /* Hover: a site under the pointer takes it from the area below (as one canvas would):
       the area hears a mouseout and no mousemove while the pointer stays on the site. */
    _onMove: function (e) {
      if (this._synthetic || !this._ours(e)) return;
      var hit = this._hit(e);
      if (!hit) {
        if (this._hover) this.hideTip();
        return;
      }
      e.stopPropagation();
      if (this._same(hit, this._hover)) return;
      if (!this._hover) {
        this._synthetic = true;
        try {
          e.target.dispatchEvent(new MouseEvent("mouseout", {
            bubbles: true, clientX: e.clientX, clientY: e.clientY, relatedTarget: null}));
        } finally {
          this._synthetic = false;
        }
      }
      this.showTip(hit);
    },

    _same: function (a, b) {
      return !!a && !!b && a.layer === b.layer && a.i === b.i &&
        (a.cell ? !!b.cell && a.cell[3] === b.cell[3] : !b.cell);
    },

    showTip: function (hit) {
      var map = this._map, layer = hit.layer;
      var latlng = hit.cell ? L.latLng(hit.cell[0], hit.cell[1]) : layer.latLngOf(hit.i);
      var content = hit.cell ? layer.cellContent(hit.cell) : layer.content(hit.i);
      this._hover = hit;
      this._tip.setLatLng(latlng).setContent(content);
      if (!map.hasLayer(this._tip)) this._tip.openOn(map);
      L.DomUtil.addClass(map.getContainer(), "sz-over-site");
      return this._tip.getElement();
    },

    hideTip: function () {
      this._hover = null;
      if (!this._map) return;
      if (this._map.hasLayer(this._tip)) this._tip.close();
      L.DomUtil.removeClass(this._map.getContainer(), "sz-over-site");
    },

    /* One popup, reused: a new one per click would leave the last one fading out. */
    openPopup: function (hit) {
      var popup = this._popup;
      popup.setLatLng(hit.layer.latLngOf(hit.i)).setContent(hit.layer.content(hit.i));
      if (!this._map.hasLayer(popup)) popup.openOn(this._map);
      return popup.getElement();
    },

    _onClick: function (e) {
      var down = this._down;
      if (!this._ours(e)) return;
      if (down && Math.abs(e.clientX - down[0]) + Math.abs(e.clientY - down[1]) > 4) return;
      var hit = this._hit(e);
      if (!hit) return;
      e.stopPropagation(); // the site, not the area under it
      var layer = hit.layer, feature, latlng;
      if (hit.cell) {
        feature = layer.cellFeatureOf(hit.cell);
        latlng = L.latLng(hit.cell[0], hit.cell[1]);
      } else {
        feature = layer.featureOf(hit.i);
        latlng = layer.latLngOf(hit.i);
        this.hideTip();
        this.openPopup(hit);
      }
      layer.fire("click", {latlng: latlng, originalEvent: e,
                           layer: {feature: feature, toGeoJSON: function () { return feature; }}},
                 true);
      // and on to the map, as a circle marker's click bubbled (the big screen holds its tour,
      // the Manage page places a site where the map was clicked); the area below hears nothing
      var map = this._map;
      map.fire("click", {latlng: map.mouseEventToLatLng(e), originalEvent: e,
                         layerPoint: map.mouseEventToLayerPoint(e),
                         containerPoint: map.mouseEventToContainerPoint(e)});
    }
  });

  SiteCanvas.of = function (map) {
    if (!map._szSites) map._szSites = new SiteCanvas().addTo(map);
    return map._szSites;
  };

  /* What the map shows now (for tests and the benchmark): sites held, whether a drawing is
     pending, how they were drawn last, and when. */
  Sites.state = function (map) {
    var canvas = map && map._szSites;
    if (!canvas) return null;
    var sites = 0, first = null, last = null;
    for (var l = 0; l < canvas.sites.length; l++) {
      var created = canvas.sites[l].created;
      sites += canvas.sites[l].n;
      first = first === null ? created : Math.min(first, created);
      last = last === null ? created : Math.max(last, created);
    }
    return {layers: canvas.sites.length, sites: sites, pending: canvas.pending,
            mode: canvas.mode, shown: canvas.shown, drawn: canvas.drawn, drawMs: canvas.drawMs,
            generation: canvas.generation, firstCreated: first, lastCreated: last,
            levels: canvas.levels.length, fromLevel: Boolean(canvas.fromLevel)};
  };

  /* Every Sites layer on the map, in drawing order. */
  Sites.on = function (map) { return map && map._szSites ? map._szSites.sites.slice() : []; };

  L.SzSites = Sites;
  L.SzSites.Canvas = SiteCanvas;
  L.szSites = function (d) { return new Sites(d); };
})();
