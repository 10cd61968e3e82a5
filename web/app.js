// Chizu web map (地図): the citizens' public map and, after signing in with a token, the departments' map.
// Everything about layers (titles, legend, popup labels) comes from /map/style.json, generated on the
// server from layers/*.yaml. The token lives in sessionStorage and travels only in Authorization headers.
'use strict';
(() => {
  const TOKEN_KEY = 'chizu.token';
  const $ = (id) => document.getElementById(id);
  const token = () => sessionStorage.getItem(TOKEN_KEY);
  const authHeaders = (t = token()) => (t ? { Authorization: 'Bearer ' + t } : {});
  const isOurs = (url) => url.startsWith(location.origin + '/') || url.startsWith('/');
  const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
  const DEPARTMENTS = { civil_engineering: '土木', sewer: '下水道', crisis_management: '危機管理', citizen_cooperation: '市民協働',
    sanitation: '清掃リサイクル', digital_administration: 'デジタル・行政経営' };

  let map, layers = [], caller = { kind: 'anonymous' }, planner = null, visible = new Set(), popup, api = { paths: {} };
  const liveRain = {}; // site key → latest message from /rain/stream

  // ---- URL hash: #zoom/lat/lon&layers=a,b (shareable view) ----
  function readHash() {
    const [view, ...rest] = location.hash.slice(1).split('&');
    const v = view.split('/').map(Number);
    const params = new URLSearchParams(rest.join('&'));
    return { view: v.length === 3 && v.every(Number.isFinite) ? { zoom: v[0], center: [v[2], v[1]] } : null,
      layers: params.has('layers') ? params.get('layers').split(',').filter(Boolean) : null };
  }
  function writeHash() {
    if (!map) return;
    const c = map.getCenter();
    const hash = `#${map.getZoom().toFixed(2)}/${c.lat.toFixed(5)}/${c.lng.toFixed(5)}&layers=${[...visible].join(',')}`;
    history.replaceState(null, '', hash);
  }

  async function fetchStyle(t = token()) {
    const r = await fetch('/map/style.json', { headers: authHeaders(t) });
    if (!r.ok) { const e = new Error('style ' + r.status); e.status = r.status; throw e; }
    return r.json();
  }

  // Hidden layers are hidden in the style itself, so the first render draws only what the URL asks for.
  function applyVisibility(style) {
    for (const l of style.layers) {
      const id = l.metadata && l.metadata['chizu:layer'];
      if (id) l.layout = Object.assign({}, l.layout, { visibility: visible.has(id) ? 'visible' : 'none' });
    }
    return style;
  }

  function adopt(style, wanted) {
    layers = style.metadata['chizu:layers'];
    caller = style.metadata['chizu:caller'];
    planner = style.metadata['chizu:planner'] || null; // only for those who may plan runs: names the pickup layer
    const ids = layers.map((l) => l.id);
    visible = new Set(wanted ? wanted.filter((id) => ids.includes(id)) : ids);
    // A halo under nothing: the search result stays visible even where other lines cover it.
    style.sources.highlight = { type: 'geojson', data: { type: 'FeatureCollection', features: [] } };
    style.layers.push(
      { id: 'highlight-line', type: 'line', source: 'highlight', filter: ['!=', ['geometry-type'], 'Point'],
        layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': '#fab005', 'line-width': 9, 'line-opacity': 0.75 } },
      { id: 'highlight-point', type: 'circle', source: 'highlight', filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': 14, 'circle-color': 'rgba(250,176,5,0.35)', 'circle-stroke-color': '#e67700', 'circle-stroke-width': 2 } });
    return applyVisibility(style);
  }

  async function start() {
    const hash = readHash();
    let style;
    try { style = await fetchStyle(); } catch (e) {
      if (e.status === 401 && token()) { sessionStorage.removeItem(TOKEN_KEY); style = await fetchStyle(); } else throw e;
    }
    adopt(style, hash.layers);
    const center = hash.view ? hash.view.center : style.metadata['chizu:center'] || style.center || [139.314, 35.396];
    map = new maplibregl.Map({
      container: 'map', style, center, zoom: hash.view ? hash.view.zoom : style.zoom || 13, maxZoom: 19,
      attributionControl: { compact: true },
      transformRequest: (url) => (isOurs(url) && token() ? { url, headers: authHeaders() } : { url }),
    });
    window.chizuMap = map; // for the browser tests and the console
    map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), 'top-right');
    map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-left');
    // On a phone the expanded attribution would cover the map; it stays one tap away behind ⓘ.
    map.once('load', () => { if (innerWidth < 600) document.querySelector('.maplibregl-ctrl-attrib')?.classList.remove('maplibregl-compact-show'); });
    map.once('idle', () => { window.chizuFirstRender = performance.now(); }); // ms since navigation start
    map.on('moveend', () => { writeHash(); renderLayerList(); });
    map.on('click', (e) => showFeatureAt(e.point, e.lngLat));
    map.on('mousemove', (e) => { map.getCanvas().style.cursor = featuresAt(e.point).length ? 'pointer' : ''; });
    renderLayerList();
    renderCaller();
    loadApi();
  }

  // ---- Layer list with toggles and legend ----
  function renderLayerList() {
    const zoom = map ? map.getZoom() : 0;
    $('layers').innerHTML = layers.map((l) => {
      const swatch = (row) => (l.geometry === 'point'
        ? `<span class="swatch-point" style="background:${esc(row.color)};width:${2 * row.width + 2}px;height:${2 * row.width + 2}px"></span>`
        : `<span class="swatch-line" style="background:${esc(row.color)};height:${Math.max(2, row.width)}px"></span>`);
      const legend = l.legend.map((row) => `<li>${swatch(row)}${esc(row.label.ja)} <span lang="en">${esc(row.label.en)}</span></li>`).join('');
      const single = l.legend.length === 1 && l.legend[0].label.ja === l.title.ja; // no classes: the swatch stands beside the title
      const badge = l.access === 'internal' ? '<span class="badge">庁内 internal</span>' : '';
      const hint = zoom < l.minzoom ? `<span class="en">ズーム${l.minzoom}以上で表示 / zoom in to see</span>` : '';
      return `<li class="${zoom < l.minzoom ? 'faded' : ''}"><label><input type="checkbox" data-layer="${esc(l.id)}" ${visible.has(l.id) ? 'checked' : ''}>
        <span>${esc(l.title.ja)}${single ? ' ' + swatch(l.legend[0]) : ''}${badge}<span class="en" lang="en">${esc(l.title.en)}</span>${hint}</span></label>
        ${single ? '' : `<ul class="legend" aria-label="凡例 / Legend">${legend}</ul>`}</li>`;
    }).join('');
  }
  $('layers').addEventListener('change', (e) => {
    const id = e.target.dataset.layer;
    if (!id) return;
    setVisible(id, e.target.checked);
  });
  function setVisible(id, on) {
    if (on) visible.add(id); else visible.delete(id);
    const l = layers.find((x) => x.id === id);
    for (const sl of l.styleLayers) map.setLayoutProperty(sl, 'visibility', on ? 'visible' : 'none');
    writeHash();
  }
  function openPanel(open) {
    $('panel').classList.toggle('open', open);
    $('panel-toggle').setAttribute('aria-expanded', String(open));
  }
  $('panel-toggle').addEventListener('click', () => openPanel(!$('panel').classList.contains('open')));
  $('panel').addEventListener('keydown', (e) => { if (e.key === 'Escape' && $('panel').classList.contains('open')) { openPanel(false); $('panel-toggle').focus(); } });

  // ---- Popups ----
  function featuresAt(point) {
    const ids = layers.filter((l) => visible.has(l.id)).flatMap((l) => l.styleLayers).filter((id) => map.getLayer(id));
    return map.queryRenderedFeatures([[point.x - 6, point.y - 6], [point.x + 6, point.y + 6]], { layers: ids });
  }
  function showFeatureAt(point, lngLat) {
    const f = featuresAt(point)[0];
    if (!f) return;
    const layer = layers.find((l) => l.id === f.sourceLayer);
    openPopup(layer, f.properties, lngLat);
  }
  function format(field, value) {
    if (value === null || value === undefined || value === '') return '—';
    if (field.type === 'boolean') return value === true || value === 1 || value === 'true' ? 'はい (yes)' : 'いいえ (no)';
    if (field.type === 'real' && typeof value === 'number') value = Math.round(value * 100) / 100;
    return esc(value) + (field.unit ? ' ' + esc(field.unit) : '');
  }
  function popupHTML(layer, props) {
    const rows = layer.fields.filter((f) => f.name in props)
      .map((f) => `<tr><th>${esc(f.label.ja)}</th><td>${format(f, props[f.name])}</td></tr>`).join('');
    const key = props[layer.key];
    const link = key !== undefined ? `<p><a href="/collections/${encodeURIComponent(layer.id)}/items/${encodeURIComponent(key)}?f=html">詳細ページ / Details</a></p>` : '';
    return `<div class="popup"><h3>${esc(layer.title.ja)} <small lang="en">${esc(layer.title.en)}</small></h3>
      ${layer.readings ? rainHTML(layer, props) : ''}<table><tbody>${rows}</tbody></table>${link}</div>`;
  }
  function openPopup(layer, props, lngLat) {
    if (popup) popup.remove();
    popup = new maplibregl.Popup({ maxWidth: '300px', focusAfterOpen: true }).setLngLat(lngLat).setHTML(popupHTML(layer, props)).addTo(map);
    popup.chizu = { layer, props };
    if (layer.readings) refreshReadings(layer, props);
  }

  // ---- Rain gauges: current values from the item (derived fields) and live updates from /rain/stream ----
  const INTENSITY = [[80, '猛烈な雨'], [50, '非常に激しい雨'], [30, '激しい雨'], [20, '強い雨'], [10, 'やや強い雨']]; // JMA terms, mm/h
  // Item fields (see README "Live rain gauges"): rain_10m_mm, rain_60m_mm, rain_24h_mm, rain_event_mm,
  // intensity, observed_at, status (ok | stale | missing). Stream messages carry value, sum_60m, sum_24h, event_total.
  function rainHTML(layer, props) {
    const live = liveRain[props[layer.key]];
    const cur = Object.assign({}, props);
    if (live && (!cur.observed_at || live.observed_at >= cur.observed_at)) {
      Object.assign(cur, { rain_10m_mm: live.value, rain_60m_mm: live.sum_60m, rain_24h_mm: live.sum_24h,
                           rain_event_mm: live.event_total, observed_at: live.observed_at,
                           status: live.value === null ? 'missing' : 'ok', intensity: undefined });
    }
    if (cur.observed_at === undefined || cur.observed_at === null) return '<p class="note">現在の雨量はありません <span lang="en">(no current reading)</span></p>';
    const mm = (v) => (typeof v === 'number' ? `${v.toFixed(1)} mm` : '欠測');
    const v60 = cur.rain_60m_mm;
    const word = cur.intensity || (typeof v60 === 'number' ? (INTENSITY.find(([min]) => v60 >= min) || [0, ''])[1] : '');
    const lines = [
      `10分雨量 <span lang="en">(10 min)</span> ${mm(cur.rain_10m_mm)}`,
      `60分雨量 <span lang="en">(60 min)</span> ${mm(v60)} ${word ? `<strong>${esc(word)}</strong>` : ''}`,
      `24時間 ${mm(cur.rain_24h_mm)} ・ 連続雨量 ${mm(cur.rain_event_mm)}`,
      `観測 ${esc(String(cur.observed_at).replace('T', ' ').slice(0, 16))}`,
    ];
    if (cur.status === 'stale') lines.push('<span class="stale">古いデータです — 30分以上更新なし (stale)</span>');
    if (cur.status === 'missing') lines.push('<span class="stale">欠測 (missing value)</span>');
    const alert = rainAlerts[props[layer.key]];
    if (alert) lines.push(`<span class="stale">⚠ ${esc(alert.label)} (${esc(alert.observed_at.slice(11, 16))})</span>`);
    return `<div class="rain">${lines.join('<br>')}</div>`;
  }
  async function refreshReadings(layer, props) {
    const key = props[layer.key];
    try {
      const r = await fetch(`/collections/${encodeURIComponent(layer.id)}/items/${encodeURIComponent(key)}?f=json`, { headers: authHeaders() });
      if (!r.ok) return;
      const item = await r.json();
      if (popup && popup.chizu && popup.chizu.props === props) {
        Object.assign(props, item.properties);
        popup.setHTML(popupHTML(layer, props));
      }
    } catch (_) { /* the tile's values stay */ }
  }
  const rainAlerts = {}; // site → latest alert from /rain/stream
  function subscribeRain() {
    if (!Object.keys(api.paths).includes('/rain/stream') || !window.EventSource) return;
    const source = new EventSource('/rain/stream'); // named events; EventSource resumes with Last-Event-ID itself
    const refresh = () => { if (popup && popup.chizu && popup.chizu.layer.readings) popup.setHTML(popupHTML(popup.chizu.layer, popup.chizu.props)); };
    source.addEventListener('reading', (e) => {
      let m; try { m = JSON.parse(e.data); } catch (_) { return; }
      if (m.site !== undefined) { liveRain[m.site] = m; refresh(); }
    });
    source.addEventListener('alert', (e) => {
      let a; try { a = JSON.parse(e.data); } catch (_) { return; }
      if (a.site !== undefined) { rainAlerts[a.site] = a; refresh(); }
    });
    source.onerror = () => {}; // EventSource reconnects by itself
  }
  async function loadApi() {
    try { const r = await fetch('/api'); if (r.ok) api = await r.json(); } catch (_) { return; }
    subscribeRain();
    Planner.render();
  }

  // ---- Search: road route number/name and places, through the items endpoint with CQL2 LIKE ----
  async function search(q) {
    const list = $('search-results');
    const quoted = q.replace(/'/g, "''");
    const queries = layers.map(async (l) => {
      const textFields = l.fields.filter((f) => f.type === 'text');
      if (!textFields.length) return [];
      const filter = textFields.map((f) => `${f.name} LIKE '%${quoted}%'`).join(' OR ');
      const url = `/collections/${encodeURIComponent(l.id)}/items?f=json&limit=5&filter-lang=cql2-text&filter=${encodeURIComponent(filter)}`;
      try {
        const r = await fetch(url, { headers: authHeaders() });
        if (!r.ok) return [];
        return (await r.json()).features.map((f) => ({ layer: l, feature: f, fields: textFields }));
      } catch (_) { return []; }
    });
    const results = (await Promise.all(queries)).flat().slice(0, 20);
    list.innerHTML = results.length ? results.map((r, i) => {
      const p = r.feature.properties;
      const text = r.fields.map((f) => p[f.name]).filter((v) => v !== null && v !== undefined && v !== '').slice(0, 3).join(' ');
      return `<li role="option" tabindex="0" data-i="${i}">${esc(text)}<small>${esc(r.layer.title.ja)} / ${esc(r.layer.title.en)}</small></li>`;
    }).join('') : '<li>見つかりませんでした / No results</li>';
    list.hidden = false;
    list.results = results;
  }
  function jumpTo(result) {
    const coords = [];
    const walk = (c) => (typeof c[0] === 'number' ? coords.push(c) : c.forEach(walk));
    walk(result.feature.geometry.coordinates);
    const bounds = coords.reduce((b, c) => b.extend(c), new maplibregl.LngLatBounds(coords[0], coords[0]));
    if (!visible.has(result.layer.id)) { setVisible(result.layer.id, true); renderLayerList(); }
    map.getSource('highlight').setData({ type: 'Feature', geometry: result.feature.geometry, properties: {} });
    map.fitBounds(bounds, { padding: 60, maxZoom: 17, duration: 600 });
    map.once('moveend', () => openPopup(result.layer, result.feature.properties, coords[Math.floor(coords.length / 2)]));
    $('search-results').hidden = true;
    openPanel(false); // on a phone the drawer would hide the result
  }
  $('search').addEventListener('submit', (e) => { e.preventDefault(); const q = $('search-input').value.trim(); if (q) search(q); });
  $('search-results').addEventListener('click', (e) => {
    const li = e.target.closest('li[data-i]');
    if (li) jumpTo($('search-results').results[Number(li.dataset.i)]);
  });
  $('search-results').addEventListener('keydown', (e) => {
    const li = e.target.closest('li[data-i]');
    if (!li) return;
    if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); jumpTo($('search-results').results[Number(li.dataset.i)]); }
    if (e.key === 'ArrowDown' && li.nextElementSibling) li.nextElementSibling.focus();
    if (e.key === 'ArrowUp') (li.previousElementSibling || $('search-input')).focus();
    if (e.key === 'Escape') { $('search-results').hidden = true; $('search-input').focus(); }
  });
  $('search-input').addEventListener('keydown', (e) => {
    const first = $('search-results').querySelector('li[data-i]');
    if (e.key === 'ArrowDown' && first && !$('search-results').hidden) { e.preventDefault(); first.focus(); }
    if (e.key === 'Escape') $('search-results').hidden = true;
  });

  // ---- Sign-in (departments' map) ----
  function renderCaller() {
    const signedIn = caller.kind !== 'anonymous';
    const dept = caller.department ? (DEPARTMENTS[caller.department] || caller.department) : '';
    $('who').textContent = signedIn
      ? `${caller.kind === 'admin' ? '管理者' : dept + ' 部署'}としてログイン中 (signed in${caller.department ? ': ' + caller.department : ''})`
      : '公開レイヤを表示しています (public layers)';
    $('signin').innerHTML = signedIn ? 'ログアウト<span lang="en" class="wide"> / Sign out</span>' : '職員ログイン<span lang="en" class="wide"> / Staff sign-in</span>';
    $('admin').hidden = caller.kind !== 'admin';
    if (caller.kind === 'admin') loadDashboard();
    Planner.render();
  }
  async function switchStyle() {
    const style = await fetchStyle();
    const before = new Set(layers.map((l) => l.id));
    const wanted = style.metadata['chizu:layers'].map((l) => l.id).filter((id) => visible.has(id) || !before.has(id));
    map.setStyle(adopt(style, wanted));
    if (popup) popup.remove();
    renderLayerList(); renderCaller(); writeHash();
  }
  $('signin').addEventListener('click', async () => {
    if (token()) { sessionStorage.removeItem(TOKEN_KEY); await switchStyle(); return; }
    $('signin-error').textContent = '';
    $('token-input').value = '';
    $('signin-dialog').showModal();
  });
  $('signin-form').addEventListener('submit', async (e) => {
    if (e.submitter && e.submitter.value !== 'ok') return;
    e.preventDefault();
    const t = $('token-input').value.trim();
    try {
      const style = await fetchStyle(t);
      if (style.metadata['chizu:caller'].kind === 'anonymous') throw new Error('anonymous');
      sessionStorage.setItem(TOKEN_KEY, t);
      $('signin-dialog').close();
      await switchStyle();
    } catch (_) {
      $('signin-error').textContent = 'トークンが無効です / The token is not valid';
    }
  });

  // ---- Administrators' dashboard ----
  async function loadDashboard() {
    const r = await fetch('/map/admin.json', { headers: authHeaders() });
    if (!r.ok) { $('admin-body').textContent = '読み込めませんでした / Could not load'; return; }
    const d = await r.json();
    const title = (id) => { const l = d.layers.find((x) => x.id === id); return l ? l.title.ja : id; };
    const years = Object.entries(d.publicAccessesPerYear).map(([y, n]) => `<tr><td>${esc(y)}</td><td class="n">${n.toLocaleString()}</td></tr>`).join('');
    const days = d.publicAccesses.slice(-20).reverse()
      .map((a) => `<tr><td>${esc(a.day)}</td><td>${esc(title(a.layer))}</td><td class="n">${a.count}</td></tr>`).join('');
    const published = d.layers.map((l) => `<tr><td>${esc(l.title.ja)}</td><td>${l.access === 'public' ? '公開' : '庁内'}</td><td class="n">${l.features}</td></tr>`).join('');
    const runs = d.ingestRuns.slice(0, 10).map((r) => `<tr><td>${esc(r.startedAt.slice(5, 16).replace('T', ' '))}</td><td>${esc(title(r.layer))}</td><td>${esc(r.status)}</td></tr>`).join('');
    $('admin-body').innerHTML = `
      <h3 class="note">公開レイヤ / Layers (${d.layers.filter((l) => l.access === 'public').length} 公開)</h3>
      <table><thead><tr><th>レイヤ</th><th>公開</th><th>件数</th></tr></thead><tbody>${published}</tbody></table>
      <h3 class="note">公開アクセス数 (年) / Public accesses per year</h3><table><tbody>${years || '<tr><td>—</td></tr>'}</tbody></table>
      <h3 class="note">日別・レイヤ別 / Per day and layer</h3>
      <table><thead><tr><th>日</th><th>レイヤ</th><th>件数</th></tr></thead><tbody>${days || '<tr><td>—</td></tr>'}</tbody></table>
      <h3 class="note">取込履歴 / Ingest runs</h3>
      <table><thead><tr><th>開始</th><th>レイヤ</th><th>結果</th></tr></thead><tbody>${runs}</tbody></table>`;
  }

  // ---- Planners' view (清掃リサイクル and administrators): the day's pickup points, a plan form, progress
  // while the server searches, then each truck's runs along the roads, numbered stops, summaries, sheets and GPX.
  const TRUCK_COLORS = ['#e03131', '#1971c2', '#2f9e44', '#f08c00', '#9c36b5', '#0c8599', '#c2255c', '#5c940d', '#364fc7', '#862e1c'];
  const truckColor = (n) => TRUCK_COLORS[(n - 1) % TRUCK_COLORS.length];
  const jstToday = () => new Date(Date.now() + 9 * 3600e3).toISOString().slice(0, 10);
  const Planner = {
    plan: null, points: null, markers: [], busy: false, hooked: false, waiting: false,
    allowed() { return planner !== null; },
    // Called whenever the caller or the API document changes.
    render() {
      const section = $('planner');
      if (!map || !this.allowed() || !(api.paths || {})['/routes/plans']) {
        section.hidden = true; section.innerHTML = ''; this.plan = null; this.points = null; this.draw(); return;
      }
      if (!this.hooked) { this.hooked = true; map.on('style.load', () => this.draw()); }
      if (!section.hidden && section.firstChild) return;
      section.hidden = false;
      section.innerHTML = `<h2>収集ルート <span lang="en">Collection runs</span></h2>
        <form id="plan-form" class="plan-form">
          <label class="wide-field">収集日 <span lang="en">Date</span><input type="date" name="date" required value="${jstToday()}"></label>
          <p id="plan-points" class="note wide-field" aria-live="polite"></p>
          <label>車両数 <span lang="en">Trucks</span><input type="number" name="trucks" min="1" max="20" value="3" required></label>
          <label>積載量 kg <span lang="en">Capacity</span><input type="number" name="capacity" min="100" step="50" value="2000" required></label>
          <label>勤務時間 <span lang="en">Shift</span><input name="shift" value="08:30-16:00" pattern="\\d{2}:\\d{2}-\\d{2}:\\d{2}" required></label>
          <label>計算時間 秒 <span lang="en">Time limit s</span><input type="number" name="limit" min="1" max="300" value="30" required></label>
          <button id="plan-start" class="text-button primary wide-field">計画を作成 <span lang="en">Plan runs</span></button>
        </form>
        <div id="plan-progress" hidden><progress max="1" value="0"></progress><span class="note" aria-live="polite"></span></div>
        <p id="plan-error" class="error" role="alert"></p>
        <div id="plan-result"></div>`;
      const form = $('plan-form');
      form.date.addEventListener('change', () => this.loadPoints(form.date.value));
      form.addEventListener('submit', (e) => { e.preventDefault(); this.submit(form); });
      $('plan-result').addEventListener('click', (e) => {
        const b = e.target.closest('button[data-href]');
        if (b) this.openFile(b.dataset.href, b.dataset.name);
      });
      this.loadPoints(form.date.value);
      this.loadLatest();
    },
    // The day's pickup points, drawn as green rings under the runs.
    async loadPoints(date) {
      const note = $('plan-points');
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return;
      const dt = encodeURIComponent(`${date}T00:00:00+09:00/${date}T23:59:59+09:00`);
      try {
        const r = await fetch(`/collections/${encodeURIComponent(planner.pickupLayer)}/items?f=json&limit=2000&datetime=${dt}`,
          { headers: authHeaders() });
        if (!r.ok) throw new Error(r.status);
        this.points = await r.json();
        const kg = this.points.features.reduce((s, f) => s + (Number(f.properties.weight_kg) || 0), 0);
        note.innerHTML = `<span class="day-point"></span>この日の収集地点 ${this.points.features.length} 件・推定 ${Math.round(kg)} kg`
          + ` <span lang="en">/ ${this.points.features.length} pickup points that day</span>`;
        this.draw();
      } catch (_) { note.textContent = '収集地点を読み込めませんでした / pickup points unavailable'; }
    },
    async loadLatest() {
      try {
        const r = await fetch('/routes/plans', { headers: authHeaders() });
        if (!r.ok) return;
        const latest = (await r.json()).plans[0];
        if (!latest || this.plan || this.busy) return;
        const form = $('plan-form');
        if (form && form.date.value !== latest.date) { form.date.value = latest.date; this.loadPoints(latest.date); }
        await this.show(latest.id, latest.summary, `最新の計画 #${latest.id}（${latest.date}） / latest plan`);
      } catch (_) { /* the form still works */ }
    },
    async submit(form) {
      if (this.busy) return;
      const limit = Math.min(300, Math.max(1, Number(form.limit.value) || 30));
      const body = { date: form.date.value, trucks: Number(form.trucks.value), capacity_kg: Number(form.capacity.value),
        shift: form.shift.value, time_limit_s: limit };
      this.busy = true; $('plan-start').disabled = true; $('plan-error').textContent = '';
      const progress = $('plan-progress'), bar = progress.querySelector('progress'), label = progress.querySelector('span');
      progress.hidden = false;
      const began = performance.now();
      const tick = () => {
        const elapsed = (performance.now() - began) / 1000, left = Math.ceil(limit - elapsed);
        bar.value = Math.min(1, elapsed / limit);
        label.textContent = left > 0 ? `探索中… 残り ${left} 秒 / searching… ${left} s left` : '仕上げ中… / finishing…';
      };
      tick();
      const timer = setInterval(tick, 250);
      try {
        const r = await fetch('/routes/plans', { method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, authHeaders()),
          body: JSON.stringify(body) });
        const doc = await r.json().catch(() => ({}));
        if (!r.ok) throw new Error(doc.detail || doc.title || `HTTP ${r.status}`);
        await this.show(doc.id, doc.summary, `計画 #${doc.id}（${body.date}） / plan`);
      } catch (e) {
        $('plan-error').textContent = `計画を作成できませんでした / No plan: ${e.message}`;
      } finally {
        clearInterval(timer); progress.hidden = true; this.busy = false; $('plan-start').disabled = false;
      }
    },
    async show(id, summary, title) {
      const r = await fetch(`/routes/plans/${id}`, { headers: authHeaders() });
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      this.plan = { id, summary, geojson: await r.json() };
      for (const f of this.plan.geojson.features) if (f.properties.truck) f.properties.color = truckColor(f.properties.truck);
      const rows = (summary.trucks || []).map((t) => `<tr>
          <td><span class="truck-swatch" style="background:${truckColor(t.truck)}"></span>${t.truck}</td>
          <td class="n">${t.trips}</td><td class="n">${t.stops}</td><td class="n">${Math.round(t.load_kg)}</td>
          <td class="n">${Number(t.km).toFixed(1)}</td><td class="n">${Number(t.hours).toFixed(1)}</td>
          <td><button class="link-button" data-href="/routes/plans/${id}/sheets/${t.truck}" data-name="plan${id}-truck${t.truck}.html" title="運行表 / Route sheet">運行表</button>
            <button class="link-button" data-href="/routes/plans/${id}/gpx/${t.truck}" data-name="plan${id}-truck${t.truck}.gpx" title="GPX">GPX</button></td></tr>`).join('');
      const left = (summary.off_road || 0) + (summary.unreachable || 0);
      $('plan-result').innerHTML = `<h3 class="note">${esc(title)}</h3>
        <table id="plan-summary"><thead><tr><th>車両</th><th>便</th><th>地点</th><th>kg</th><th>km</th><th>時間</th><th></th></tr></thead>
        <tbody>${rows}</tbody></table>
        <p class="note">合計 ${Number(summary.km || 0).toFixed(1)} km・${Number(summary.hours || 0).toFixed(1)} 時間${left ? `・計画外 ${left} 地点 (off road or unreachable)` : ''}
        <br><span lang="en">Trucks, trips, stops, load, distance, hours; sheets and GPX per truck.</span></p>`;
      this.draw();
      this.fit();
    },
    fit() {
      const b = new maplibregl.LngLatBounds();
      for (const f of this.plan.geojson.features) {
        const g = f.geometry;
        (g.type === 'Point' ? [g.coordinates] : g.coordinates).forEach((c) => b.extend(c));
      }
      if (!b.isEmpty()) map.fitBounds(b, { padding: 40, maxZoom: 16, duration: 0 });
    },
    // (Re)draws the plan layers; called again after every style switch, which drops them.
    draw() {
      if (!map) return;
      // isStyleLoaded() is also false while tiles load: draw once the map settles.
      if (!map.isStyleLoaded()) {
        if (!this.waiting) { this.waiting = true; map.once('idle', () => { this.waiting = false; this.draw(); }); }
        return;
      }
      const empty = { type: 'FeatureCollection', features: [] };
      const plan = this.plan ? this.plan.geojson : empty;
      const lines = { type: 'FeatureCollection', features: plan.features.filter((f) => f.geometry.type === 'LineString') };
      const data = { 'plan-points': this.points || empty, 'plan-lines': lines };
      for (const [id, d] of Object.entries(data)) {
        if (map.getSource(id)) map.getSource(id).setData(d); else map.addSource(id, { type: 'geojson', data: d });
      }
      if (!map.getLayer('plan-points')) {
        map.addLayer({ id: 'plan-points', type: 'circle', source: 'plan-points',
          paint: { 'circle-radius': 6, 'circle-color': '#fff', 'circle-stroke-color': '#2b8a3e', 'circle-stroke-width': 3 } });
        map.addLayer({ id: 'plan-casing', type: 'line', source: 'plan-lines', layout: { 'line-cap': 'round', 'line-join': 'round' },
          paint: { 'line-color': '#fff', 'line-width': 7, 'line-opacity': 0.9 } });
        map.addLayer({ id: 'plan-return', type: 'line', source: 'plan-lines', filter: ['==', ['get', 'role'], 'return'],
          layout: { 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': 2.5, 'line-dasharray': [2, 2] } });
        map.addLayer({ id: 'plan-runs', type: 'line', source: 'plan-lines', filter: ['==', ['get', 'role'], 'trip'],
          layout: { 'line-cap': 'round', 'line-join': 'round' }, paint: { 'line-color': ['get', 'color'], 'line-width': 4 } });
      }
      // Stop numbers as HTML markers: the style has no glyphs for symbol labels.
      this.markers.forEach((m) => m.remove());
      this.markers = plan.features.filter((f) => f.geometry.type === 'Point').map((f) => {
        const p = f.properties, el = document.createElement('div');
        if (p.role === 'stop') {
          el.className = 'stop-marker';
          el.style.background = p.color;
          el.textContent = p.order;
          el.title = `車両${p.truck} 第${p.trip}便 ${p.order}. ${p.point_id} ${p.arrival}着 ${p.weight_kg} kg`;
        } else {
          el.className = 'base-marker';
          el.textContent = p.role === 'depot' ? '車庫' : '処理施設';
          el.title = p.name;
        }
        return new maplibregl.Marker({ element: el }).setLngLat(f.geometry.coordinates).addTo(map);
      });
    },
    // Sheets and GPX need the token, which never goes into a URL: fetch them and hand over a blob URL.
    // The sheet's tab is opened during the click (popup blockers allow that), then pointed at the blob.
    async openFile(href, name) {
      const tab = name.endsWith('.html') ? window.open('', '_blank') : null;
      try {
        const r = await fetch(href, { headers: authHeaders() });
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const url = URL.createObjectURL(await r.blob());
        if (tab) { tab.location.href = url; } else {
          const a = document.createElement('a'); a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
        }
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      } catch (e) {
        if (tab) tab.close();
        $('plan-error').textContent = `開けませんでした / Could not open: ${e.message}`;
      }
    },
  };

  start().catch((e) => {
    document.getElementById('map').innerHTML = `<p class="error" role="alert">地図を読み込めませんでした / The map could not load (${esc(e.message)})</p>`;
  });
})();
