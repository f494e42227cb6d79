// The paper map (/map): draws the stored layout's points on a canvas; hover shows a paper's title
// (asked of /api/papers/ID once and kept), click opens it, the wheel zooms, dragging pans. Colours
// by category, date or cluster; the member's saved papers ringed, a search's hits drawn larger.
(() => {
  const canvas = document.getElementById('map');
  if (!canvas) return;
  const tip = document.getElementById('map-tip');
  const status = document.getElementById('map-status');
  const colourSel = document.getElementById('map-colour');
  const ctx = canvas.getContext('2d');
  const GRID = 4096;
  let data = null;
  let saved = new Set();
  let hits = new Set();
  const view = { x: 0, y: 0, s: 1 };
  let hover = -1;
  const titles = new Map();
  const params = new URLSearchParams(location.search);
  if (params.get('colour')) colourSel.value = params.get('colour');

  const palette = (i) => `hsl(${(i * 137.508) % 360} 65% 48%)`;
  function colourOf(i) {
    const mode = colourSel.value;
    if (mode === 'date') {
      const max = data.maxDay || 1;
      const t = data.d[i] / max;
      return `hsl(${240 - 200 * t} 70% 45%)`;
    }
    return palette(mode === 'cluster' ? data.c[i] : data.k[i]);
  }

  function size() {
    const r = canvas.getBoundingClientRect();
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(r.width * dpr);
    canvas.height = Math.round(r.height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  const W = () => canvas.getBoundingClientRect().width;
  const H = () => canvas.getBoundingClientRect().height;
  // The layout's square, centred with a margin, then the view's pan and zoom.
  const MARGIN = 0.92;
  function toScreen(gx, gy) {
    const side = Math.min(W(), H()) * MARGIN;
    const bx = (gx / GRID) * side + (W() - side) / 2;
    const by = (gy / GRID) * side + (H() - side) / 2;
    return [(bx - view.x) * view.s, (by - view.y) * view.s];
  }

  function draw() {
    if (!data) return;
    ctx.clearRect(0, 0, W(), H());
    const r = Math.min(8, (data.n > 20000 ? 1.5 : 3.5) * Math.sqrt(view.s));
    for (let i = 0; i < data.n; i++) {
      const [x, y] = toScreen(data.x[i], data.y[i]);
      if (x < -5 || y < -5 || x > W() + 5 || y > H() + 5) continue;
      ctx.fillStyle = colourOf(i);
      ctx.globalAlpha = hits.size ? 0.3 : 0.8;
      ctx.fillRect(x - r / 2, y - r / 2, r, r);
    }
    // Search hits on top, larger, outlined.
    ctx.globalAlpha = 1;
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 1;
    for (let i = 0; i < data.n; i++) {
      if (!hits.has(data.ids[i])) continue;
      const [x, y] = toScreen(data.x[i], data.y[i]);
      const d = Math.max(6, r * 2.5);
      ctx.fillStyle = colourOf(i);
      ctx.fillRect(x - d / 2, y - d / 2, d, d);
      ctx.strokeRect(x - d / 2, y - d / 2, d, d);
    }
    ctx.globalAlpha = 1;
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = getComputedStyle(canvas).color || '#000';
    for (let i = 0; i < data.n; i++) {
      if (!saved.has(data.ids[i])) continue;
      const [x, y] = toScreen(data.x[i], data.y[i]);
      ctx.beginPath();
      ctx.arc(x, y, r + 3, 0, 2 * Math.PI);
      ctx.stroke();
    }
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    // Labels of the larger clusters first; one that would overlap a label drawn is left out
    // (zooming in makes room for it).
    const drawn = [];
    for (const l of [...data.labels].sort((a, b) => b.n - a.n)) {
      if (!l.text) continue;
      const [x, y] = toScreen(l.x, l.y);
      const w = ctx.measureText(l.text).width + 6;
      const box = [x - w / 2, y - 10, x + w / 2, y + 5];
      if (drawn.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
      drawn.push(box);
      ctx.fillStyle = 'rgba(255,255,255,0.8)';
      ctx.fillRect(box[0], box[1], w, 15);
      ctx.fillStyle = '#111';
      ctx.fillText(l.text, x, y + 1);
    }
  }

  function nearest(mx, my) {
    let best = -1;
    let bd = 64;
    for (let i = 0; i < data.n; i++) {
      const [x, y] = toScreen(data.x[i], data.y[i]);
      const d = (x - mx) ** 2 + (y - my) ** 2;
      if (d < bd) {
        bd = d;
        best = i;
      }
    }
    return best;
  }

  async function showTip(i, mx, my) {
    const id = data.ids[i];
    tip.hidden = false;
    tip.style.left = `${mx + 12}px`;
    tip.style.top = `${my + 12}px`;
    tip.textContent = titles.get(id) || id;
    if (!titles.has(id)) {
      titles.set(id, id);
      try {
        const r = await fetch(`/api/papers/${id}`);
        if (r.ok) titles.set(id, (await r.json()).title || id);
      } catch {}
      if (hover === i) tip.textContent = titles.get(id);
    }
  }

  let drag = null;
  canvas.addEventListener('mousedown', (e) => {
    drag = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y, moved: false };
  });
  window.addEventListener('mouseup', () => {
    if (drag && !drag.moved && hover >= 0) location.href = `/papers/${data.ids[hover]}`;
    drag = null;
  });
  canvas.addEventListener('mousemove', (e) => {
    const rect = canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    if (drag) {
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      view.x = drag.vx - dx / view.s;
      view.y = drag.vy - dy / view.s;
      draw();
      return;
    }
    if (!data) return;
    hover = nearest(mx, my);
    canvas.dataset.hover = hover >= 0 ? data.ids[hover] : '';
    if (hover >= 0) void showTip(hover, mx, my);
    else tip.hidden = true;
  });
  canvas.addEventListener('mouseleave', () => {
    tip.hidden = true;
  });
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const rect = canvas.getBoundingClientRect();
      const mx = e.clientX - rect.left;
      const my = e.clientY - rect.top;
      const f = e.deltaY < 0 ? 1.25 : 0.8;
      const ns = Math.max(0.5, Math.min(200, view.s * f));
      view.x += mx / view.s - mx / ns;
      view.y += my / view.s - my / ns;
      view.s = ns;
      draw();
    },
    { passive: false },
  );
  colourSel.addEventListener('change', draw);
  window.addEventListener('resize', () => {
    size();
    draw();
  });

  size();
  status.textContent = 'Loading the map…';
  Promise.all([
    fetch(canvas.dataset.points).then((r) => r.json()),
    fetch(canvas.dataset.highlight, { credentials: 'same-origin' })
      .then((r) => (r.ok ? r.json() : { saved: [], hits: [] }))
      .catch(() => ({ saved: [], hits: [] })),
  ]).then(([points, marks]) => {
    data = points;
    data.maxDay = data.d.reduce((a, b) => Math.max(a, b), 0);
    saved = new Set(marks.saved);
    hits = new Set(marks.hits);
    status.textContent = `${data.n.toLocaleString('en')} papers${hits.size ? `, ${hits.size} search hits` : ''}${saved.size ? `, ${saved.size} of yours` : ''}`;
    draw();
    canvas.dataset.drawn = String(data.n);
  });
})();
