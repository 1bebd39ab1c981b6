// Progressive enhancement of the request pages (loaded as an ES module; no inline script, strict CSP).
// Without JavaScript the district select and the address field do the job; with it:
//  - on the report forms, [data-report-map] becomes a Leaflet map where a tap (or the "centre"
//    button, for keyboards) places a pin that fills the hidden lat/lng fields;
//  - on the map page, [data-requests-map] shows the requests of the current filters.
// The tile URL comes from the server's configuration, through data-tile-url.

const BASE = '/static/vendor/leaflet/';
const TETOUAN = [35.5785, -5.3684];
const ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>';

function loadCss() {
  if (document.querySelector('link[data-leaflet]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = `${BASE}leaflet.css`;
  link.dataset.leaflet = '';
  document.head.append(link);
}

function baseMap(L, el) {
  el.classList.add('map-box');
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', el.dataset.label || 'Map');
  const map = L.map(el, { scrollWheelZoom: false }).setView(TETOUAN, 14);
  L.tileLayer(el.dataset.tileUrl || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', { maxZoom: 19, attribution: ATTRIBUTION }).addTo(map);
  return map;
}

function reportMap(L, el) {
  const latInput = document.getElementById(el.dataset.latInput || 'f-lat');
  const lngInput = document.getElementById(el.dataset.lngInput || 'f-lng');
  if (!latInput || !lngInput) return;
  const map = baseMap(L, el);
  const status = document.createElement('p');
  status.className = 'map-status';
  status.setAttribute('role', 'status');
  const tools = document.createElement('div');
  tools.className = 'actions';
  const centre = document.createElement('button');
  centre.type = 'button';
  centre.className = 'button secondary';
  centre.textContent = el.dataset.centre || '⊕';
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'button secondary';
  clear.textContent = el.dataset.clear || '×';
  tools.append(centre, clear);
  el.after(status, tools);

  let pin = null;
  const place = (latlng, announce = true) => {
    const lat = Number(latlng.lat).toFixed(6);
    const lng = Number(latlng.lng).toFixed(6);
    latInput.value = lat;
    lngInput.value = lng;
    if (!pin) {
      pin = L.marker(latlng, { draggable: true, keyboard: true, title: el.dataset.placed || '' }).addTo(map);
      pin.on('dragend', () => place(pin.getLatLng()));
    } else pin.setLatLng(latlng);
    clear.style.display = '';
    if (announce) status.textContent = `${el.dataset.placed || ''} (${lat}, ${lng})`;
  };
  const remove = () => {
    if (pin) { map.removeLayer(pin); pin = null; }
    latInput.value = '';
    lngInput.value = '';
    clear.style.display = 'none';
    status.textContent = '';
  };
  map.on('click', (e) => place(e.latlng));
  centre.addEventListener('click', () => place(map.getCenter()));
  clear.addEventListener('click', remove);
  // (not the hidden attribute: the .button class sets display, which would override it)
  clear.style.display = 'none';
  if (latInput.value && lngInput.value && !Number.isNaN(Number(latInput.value))) {
    const at = L.latLng(Number(latInput.value), Number(lngInput.value));
    place(at, false);
    map.setView(at, 16);
  }
}

async function requestsMap(L, el) {
  const map = baseMap(L, el);
  const res = await fetch(el.dataset.pointsUrl, { headers: { accept: 'application/json' } });
  if (!res.ok) return;
  const { points } = await res.json();
  const layer = L.featureGroup();
  for (const p of points) {
    const m = L.circleMarker([p.lat, p.lng], { radius: 8, weight: 2, color: '#0b4f6c', fillColor: p.status === 'resolved' ? '#1e6b3a' : p.status === 'rejected' ? '#505a66' : '#b5452b', fillOpacity: 0.8 });
    const box = document.createElement('div');
    const a = document.createElement('a');
    a.href = p.url;
    a.textContent = p.reference;
    a.dir = 'ltr';
    const line = document.createElement('p');
    line.textContent = `${p.category} — ${p.statusLabel}`;
    box.append(a, line);
    m.bindPopup(box);
    layer.addLayer(m);
  }
  layer.addTo(map);
  if (points.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
}

async function main() {
  const report = document.querySelector('[data-report-map]');
  const list = document.querySelector('[data-requests-map]');
  if (!report && !list) return;
  loadCss();
  const L = await import(`${BASE}leaflet-src.esm.js`);
  if (report) reportMap(L, report);
  if (list) await requestsMap(L, list);
}

main().catch((err) => { console.warn('map unavailable', err); });
