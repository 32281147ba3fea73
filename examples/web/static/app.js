// The page's script: it runs examples/web/wasm (the generated packages
// compiled to WebAssembly) and draws what it returns. window.app is what
// the example's test reads.
'use strict';

const $ = (id) => document.getElementById(id);

const app = {
  analyses: 0,       // how many drawings were analyzed
  result: null,      // the last analysis: {input, probs, h1, h2, grad, digit, loss}
  analyzeMs: [],     // performance.now time of each bpgen.analyze call
  forwardMs: null,   // time of one generated Forward: {min, median} over batches
  inferMs: null,     // time of preprocessing and Forward: {min, median} over batches
  xorLosses: [],     // the XOR demo's mean loss, one per epoch
  pending: false,    // an analysis is scheduled for the next frame
};
window.app = app;

async function start() {
  const go = new Go();
  const ready = new Promise((resolve) => addEventListener('bpgen-ready', resolve, { once: true }));
  const { instance } = await WebAssembly.instantiateStreaming(fetch('main.wasm'), go.importObject);
  go.run(instance);
  await ready;
  const resp = await fetch('mnist.safetensors');
  if (!resp.ok) throw new Error('fetching the weights: ' + resp.status);
  const err = bpgen.load(new Uint8Array(await resp.arrayBuffer()));
  if (err) throw new Error('loading the weights: ' + err);
  setupBars();
  setupPad();
  setupXOR();
  $('status').textContent = 'Ready: draw below.';
  document.body.dataset.ready = 'true';
}

start().catch((e) => {
  $('status').textContent = 'Error: ' + e.message;
  console.error(e);
});

// The drawing area.

const pad = $('pad');
const pctx = pad.getContext('2d', { willReadFrequently: true });
const brush = 20; // stroke width in pad pixels: about 2 pixels of the 28x28 input

function setupPad() {
  let last = null;
  const pos = (e) => {
    const r = pad.getBoundingClientRect();
    return { x: (e.clientX - r.left) * pad.width / r.width, y: (e.clientY - r.top) * pad.height / r.height };
  };
  let timer = null;
  pad.addEventListener('pointerdown', (e) => {
    clearTimeout(timer);
    pad.setPointerCapture(e.pointerId);
    last = pos(e);
    stroke(last, last);
  });
  pad.addEventListener('pointermove', (e) => {
    if (last === null) return;
    const p = pos(e);
    stroke(last, p);
    last = p;
  });
  // Time the inference once the hand rests, not after every stroke.
  const end = () => { last = null; clearTimeout(timer); timer = setTimeout(measureForward, 300); };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  $('clear').addEventListener('click', clearPad);
}

function stroke(a, b) {
  pctx.lineWidth = brush;
  pctx.lineCap = 'round';
  pctx.strokeStyle = '#000';
  pctx.beginPath();
  pctx.moveTo(a.x, a.y);
  pctx.lineTo(b.x, b.y);
  pctx.stroke();
  schedule();
}

function clearPad() {
  pctx.clearRect(0, 0, pad.width, pad.height);
  app.inferMs = app.forwardMs = null;
  app.result = null;
  show(null);
}

function schedule() {
  if (app.pending) return;
  app.pending = true;
  requestAnimationFrame(() => app.flush());
}

// alpha returns the ink of the drawing area, one byte per pixel.
app.alpha = function () {
  const rgba = pctx.getImageData(0, 0, pad.width, pad.height).data;
  const a = new Uint8Array(pad.width * pad.height);
  for (let i = 0; i < a.length; i++) a[i] = rgba[4 * i + 3];
  return a;
};

// flush analyzes the drawing now if an analysis is scheduled, and returns
// the last analysis.
app.flush = function () {
  if (!app.pending) return app.result;
  app.pending = false;
  const alpha = app.alpha();
  const t0 = performance.now();
  const r = bpgen.analyze(alpha, pad.width, pad.height);
  app.analyzeMs.push(performance.now() - t0);
  app.analyses++;
  app.result = r;
  show(r);
  return r;
};

// measureForward times the generated Forward alone on the last input,
// and the inference from the drawing's pixels: preprocessing and Forward.
// Each is timed in batches; the fastest batch is the time of the work
// itself, the median also counts the waits of a busy machine.
function measureForward() {
  if (app.result === null) return;
  const batches = 15, n = 20;
  const time = (f) => {
    f(5); // warm up
    const per = [];
    for (let b = 0; b < batches; b++) {
      const t0 = performance.now();
      f(n);
      per.push((performance.now() - t0) / n);
    }
    per.sort((a, b) => a - b);
    return { min: per[0], median: per[batches >> 1] };
  };
  app.forwardMs = time(bpgen.forward);
  app.inferMs = time(bpgen.infer);
  showTiming();
}

// What the network says.

function setupBars() {
  const bars = $('bars');
  for (let d = 0; d < 10; d++) {
    const row = document.createElement('div');
    row.className = 'bar';
    row.innerHTML = `<span class="label">${d}</span><span class="track"><span class="fill"></span></span><span class="value"></span>`;
    bars.appendChild(row);
  }
}

function show(r) {
  const rows = $('bars').children;
  for (let d = 0; d < 10; d++) {
    const p = r ? r.probs[d] : 0;
    rows[d].querySelector('.fill').style.width = (100 * p).toFixed(2) + '%';
    rows[d].querySelector('.value').textContent = r ? p.toFixed(4) : '';
    rows[d].classList.toggle('top', r !== null && d === r.digit);
  }
  $('digit').textContent = r ? String(r.digit) : '–';
  heat($('input'), r && r.input, grey);
  heat($('h1'), r && r.h1, fire);
  heat($('h2'), r && r.h2, fire);
  why(r);
  showTiming();
}

function showTiming() {
  const n = app.analyzeMs.length;
  if (n === 0) { $('timing').textContent = ''; return; }
  const mean = app.analyzeMs.reduce((a, b) => a + b, 0) / n;
  let s = '';
  if (app.forwardMs !== null) {
    s += `inference (preprocessing, Forward): ${app.inferMs.min.toFixed(3)} ms; Forward alone: ${app.forwardMs.min.toFixed(3)} ms (fastest batches); `;
  }
  s += `all of the above (with hidden layers and InputGradient): ${mean.toFixed(2)} ms, mean of ${n}`;
  $('timing').textContent = s;
}

// Heat maps.

const grey = (v) => { const c = Math.round(255 * v); return [c, c, c]; };
const fire = (v) => [Math.round(255 * Math.min(1, 2 * v)), Math.round(255 * Math.max(0, 2 * v - 1)), Math.round(80 * v)];

// heat draws the values v (row by row, canvas-sized) scaled by their
// largest, through the color map color.
function heat(canvas, v, color) {
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(canvas.width, canvas.height);
  let top = 0;
  if (v) for (const x of v) top = Math.max(top, Math.abs(x));
  for (let i = 0; i < canvas.width * canvas.height; i++) {
    const [r, g, b] = v && top > 0 ? color(v[i] / top) : [0, 0, 0];
    img.data.set([r, g, b, 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

// why draws −dDiv/dx over the input: red where more ink raises the
// probability of the predicted digit, blue where it lowers it, on the
// input in grey.
function why(r) {
  const canvas = $('why');
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(28, 28);
  let top = 0;
  if (r) for (const g of r.grad) top = Math.max(top, Math.abs(g));
  for (let i = 0; i < 784; i++) {
    const s = r && top > 0 ? -r.grad[i] / top : 0;
    const base = r ? 60 * r.input[i] : 0;
    const red = base + Math.max(0, s) * 255, blue = base + Math.max(0, -s) * 255;
    img.data.set([Math.min(255, red), base, Math.min(255, blue), 255], 4 * i);
  }
  ctx.putImageData(img, 0, 0);
}

// The XOR demo.

const xorEpochs = 1500;   // the length of one run
const xorPerFrame = 25;   // epochs trained between two frames

function setupXOR() {
  $('train').addEventListener('click', runXOR);
  runXOR();
}

function runXOR() {
  bpgen.xorReset(1);
  app.xorLosses = [];
  document.body.dataset.xor = 'training';
  const frame = () => {
    for (let i = 0; i < xorPerFrame && app.xorLosses.length < xorEpochs; i++) {
      app.xorLosses.push(bpgen.xorTrain(1, 1.0));
    }
    drawLoss();
    heat($('xormap'), bpgen.xorMap(32), grey);
    if (app.xorLosses.length < xorEpochs) {
      requestAnimationFrame(frame);
    } else {
      const y = bpgen.xorOutputs();
      $('losstext').textContent += `; outputs for (0,0) (0,1) (1,0) (1,1): ${Array.from(y, (v) => v.toFixed(3)).join(' ')}`;
      document.body.dataset.xor = 'done';
    }
  };
  requestAnimationFrame(frame);
}

function drawLoss() {
  const c = $('loss');
  const ctx = c.getContext('2d');
  const L = app.xorLosses;
  const top = Math.max(...L.slice(0, 50), 1e-9);
  ctx.clearRect(0, 0, c.width, c.height);
  ctx.strokeStyle = '#ccc';
  ctx.strokeRect(0.5, 0.5, c.width - 1, c.height - 1);
  ctx.strokeStyle = '#c03030';
  ctx.lineWidth = 2;
  ctx.beginPath();
  L.forEach((v, i) => {
    const x = 4 + (c.width - 8) * i / (xorEpochs - 1);
    const y = c.height - 4 - (c.height - 8) * Math.min(1, v / top);
    if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
  });
  ctx.stroke();
  $('losstext').textContent = `mean loss per epoch: ${L[L.length - 1].toFixed(4)} after ${L.length} epochs (from ${L[0].toFixed(4)})`;
}
