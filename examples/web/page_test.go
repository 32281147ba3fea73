package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"image/png"
	"math"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/bpgen/bpgen/examples/internal/mnist"
	"github.com/bpgen/bpgen/examples/web/internal/ink"
	"github.com/bpgen/bpgen/examples/web/internal/netview"
	gm "github.com/bpgen/bpgen/generated/mnist"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// screenshotPath is where TestPage writes the screenshot the README shows.
const screenshotPath = "../../docs/web.png"

// Tolerances of TestPage. The page's probabilities must equal those
// computed natively for the same input to probTol (absolute); the
// WebAssembly build runs the generated package's portable kernels and
// amd64 its vector ones, which add in another order. The hidden
// activations and the input gradient, which go through more sums, are
// compared relative to their largest magnitude with vecTol.
const (
	probTol = 1e-5
	vecTol  = 1e-4
)

// pageDigits are the MNIST test images TestPage draws, by index (the
// first ten: 7 2 1 0 4 1 4 9 5 9). The one at index touchDigit is drawn
// with touch events, the others with the mouse; the last one stays on
// the page for the screenshot.
var pageDigits = []int{0, 2, 3, 4, 7, 8, 1}

const touchDigit = 3

// chromium skips the test when chromium is missing, except in CI
// (CI=true), where it fails.
func chromium(t *testing.T) {
	t.Helper()
	out, err := exec.Command(chromiumPath, "--version").Output()
	if err == nil {
		t.Logf("%s", strings.TrimSpace(string(out)))
		return
	}
	msg := fmt.Sprintf("%s --version: %v; install it with: apt-get install -y --no-install-recommends chromium", chromiumPath, err)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// browser starts a headless chromium for t and returns its context.
func browser(t *testing.T) context.Context {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // chromium refuses to run as root with its sandbox
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1240, 1000),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(cancel)
	return ctx
}

// consoleErrors collects the errors the page reports: console.error
// calls, uncaught exceptions and error entries of the browser's log (such
// as a failed fetch).
type consoleErrors struct {
	mu   sync.Mutex
	msgs []string
}

func (c *consoleErrors) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		for _, a := range ev.Args {
			msg += " " + string(a.Value) + a.Description
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = fmt.Sprintf("%s at %s:%d:%d", d.Text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
		if d.Exception != nil {
			msg += ": " + d.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level != cdplog.EntryLevelError {
			return
		}
		msg = ev.Entry.Text + " " + ev.Entry.URL
	default:
		return
	}
	c.mu.Lock()
	c.msgs = append(c.msgs, msg)
	c.mu.Unlock()
}

func (c *consoleErrors) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.msgs)
}

// TestPage drives the page in headless chromium: it draws MNIST test
// digits on the drawing area with mouse and touch events, and checks that
// the page's input and its numbers equal those computed natively for the
// same drawing, that the XOR demo's loss falls and that the console shows
// no error; it writes a screenshot to docs/web.png and logs the in-browser
// inference times.
func TestPage(t *testing.T) {
	chromium(t)
	start := time.Now()
	root, err := findRoot()
	if err != nil {
		t.Fatal(err)
	}
	s, err := newSite(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("built the site (%d bytes of WebAssembly) in %.1fs", len(s.wasm), time.Since(start).Seconds())
	srv := httptest.NewServer(s.handler())
	defer srv.Close()
	_, test, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	m := loadWeights(t)

	ctx := browser(t)
	var errs consoleErrors
	if err := chromedp.Listen(ctx, errs.listen); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.ready === 'true'`, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		t.Fatalf("the page did not get ready: %v (console: %q)", err, errs.list())
	}
	t.Logf("page ready after %.1fs", time.Since(start).Seconds())
	pad, err := chromedp.Run(ctx, chromedp.Evaluate[rect](`(() => { const r = document.getElementById('pad').getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; })()`))
	if err != nil {
		t.Fatal(err)
	}

	correct := 0
	for k, i := range pageDigits {
		img, label := &test.Images[i], int(test.Labels[i])
		got := drawDigit(t, ctx, pad, img, k == touchDigit)
		checkDigit(t, fmt.Sprintf("test digit %d (a %d)", i, label), m, got)
		if got.Digit == label {
			correct++
		}
	}
	// The strokes follow the pixels of at least half ink, so the drawings
	// look like the digits; the network, which has only seen MNIST's own
	// pen, may still misread one.
	t.Logf("%d of %d drawn digits recognized", correct, len(pageDigits))
	if correct < len(pageDigits)-1 {
		t.Errorf("%d of %d drawn digits recognized, want at least %d", correct, len(pageDigits), len(pageDigits)-1)
	}
	checkXOR(t, ctx)
	logTiming(t, ctx)
	screenshot(t, ctx)
	if e := errs.list(); len(e) > 0 {
		t.Errorf("the console shows %d errors: %q", len(e), e)
	}
	t.Logf("TestPage took %.1fs", time.Since(start).Seconds())
}

// rect is a rectangle of the page, in CSS pixels.
type rect struct{ X, Y, W, H float64 }

// pageResult is what the page shows for a drawing, as app.js has it.
type pageResult struct {
	Alpha  string    // the drawing's ink, base64
	Input  []float64 // the preprocessed image
	Probs  []float64
	H1, H2 []float64
	Grad   []float64
	Digit  int    // the predicted digit
	Shown  string // the predicted digit as the page shows it
}

// readResult makes the page analyze its drawing now and returns what it
// shows.
const readResult = `(() => {
	const r = app.flush();
	const a = app.alpha();
	let s = '';
	for (let i = 0; i < a.length; i += 8192) s += String.fromCharCode(...a.subarray(i, i + 8192));
	return {alpha: btoa(s), input: Array.from(r.input), probs: Array.from(r.probs),
		h1: Array.from(r.h1), h2: Array.from(r.h2), grad: Array.from(r.grad), digit: r.digit,
		shown: document.getElementById('digit').textContent};
})()`

// drawDigit clears the drawing area, draws img on it, one stroke along
// each horizontal run of pixels of at least half ink, with the mouse or
// with touch events, and returns what the page shows.
func drawDigit(t *testing.T, ctx context.Context, pad rect, img *[mnist.Pixels]float32, touch bool) pageResult {
	t.Helper()
	steps := []chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](`document.getElementById('clear').click()`)}
	at := func(i, j int) (float64, float64) {
		return pad.X + (float64(i)+0.5)*pad.W/ink.Side, pad.Y + (float64(j)+0.5)*pad.H/ink.Side
	}
	for j := range ink.Side {
		for i := 0; i < ink.Side; i++ {
			if img[j*ink.Side+i] < 0.5 {
				continue
			}
			end := i
			for end+1 < ink.Side && img[j*ink.Side+end+1] >= 0.5 {
				end++
			}
			var pts [][2]float64
			for p := i; p <= end; p++ {
				x, y := at(p, j)
				pts = append(pts, [2]float64{x, y})
			}
			steps = append(steps, strokeAction(pts, touch))
			i = end
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Steps(steps...)); err != nil {
		t.Fatal(err)
	}
	r, err := chromedp.Run(ctx, chromedp.Evaluate[pageResult](readResult))
	if err != nil {
		t.Fatalf("reading the page's result: %v", err)
	}
	return r
}

// strokeAction presses at pts[0], moves through pts and releases at the
// last point, with the left mouse button or one finger.
func strokeAction(pts [][2]float64, touch bool) chromedp.Action[chromedp.Void] {
	if !touch {
		steps := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, pts[0][0], pts[0][1], chromedp.ButtonLeft, chromedp.ClickCount(1))}
		for _, p := range pts[1:] {
			steps = append(steps, chromedp.MouseEvent(chromedp.MouseMoved, p[0], p[1], chromedp.ButtonLeft))
		}
		last := pts[len(pts)-1]
		steps = append(steps, chromedp.MouseEvent(chromedp.MouseReleased, last[0], last[1], chromedp.ButtonLeft, chromedp.ClickCount(1)))
		return chromedp.Steps(steps...)
	}
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		typ := input.DispatchTouchEventTypeTouchStart
		for _, p := range pts {
			if _, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{
				Type: typ, TouchPoints: []*input.TouchPoint{{X: p[0], Y: p[1]}},
			}); err != nil {
				return err
			}
			typ = input.DispatchTouchEventTypeTouchMove
		}
		_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}})
		return err
	})
}

// checkDigit checks what the page shows for a drawing against the same
// computed natively: the preprocessed input from the drawing's pixels,
// and everything else from that input.
func checkDigit(t *testing.T, what string, m *gm.Model, got pageResult) {
	t.Helper()
	alpha, err := base64.StdEncoding.DecodeString(got.Alpha)
	if err != nil {
		t.Fatalf("%s: the page's ink: %v", what, err)
	}
	want, ok := ink.Preprocess(alpha, 280, 280)
	if !ok {
		t.Fatalf("%s: no ink drawn", what)
	}
	if d := maxDiff(got.Input, want[:]); d != 0 {
		t.Errorf("%s: the page's input differs from the native preprocessing by up to %g", what, d)
	}
	var x [gm.InputSize]float32
	for k, v := range got.Input {
		x[k] = float32(v)
	}
	var a netview.Analysis
	netview.Analyze(m, new(gm.Workspace), &x, &a)
	if got.Digit != a.Class || got.Shown != fmt.Sprint(a.Class) {
		t.Errorf("%s: the page predicts %d and shows %q, natively %d", what, got.Digit, got.Shown, a.Class)
	}
	if d := maxDiff(got.Probs, a.Probs[:]); d > probTol {
		t.Errorf("%s: the page's probabilities differ from the native ones by up to %g > %g", what, d, probTol)
	}
	for _, c := range []struct {
		name      string
		got, want []float64
	}{{"h1", got.H1, f64(a.H1[:])}, {"h2", got.H2, f64(a.H2[:])}, {"dDiv/dx", got.Grad, f64(a.Grad[:])}} {
		scale := 0.0
		for _, v := range c.want {
			scale = max(scale, math.Abs(v))
		}
		if d := maxDiff(c.got, f32(c.want)); d > vecTol*scale {
			t.Errorf("%s: the page's %s differs from the native one by up to %g, more than %g of its largest %g", what, c.name, d, vecTol, scale)
		}
	}
	t.Logf("%s: the page predicts %d with probability %.5f", what, a.Class, a.Probs[a.Class])
}

// maxDiff returns the largest |got[i] - want[i]|, or +Inf if the lengths
// differ.
func maxDiff(got []float64, want []float32) float64 {
	if len(got) != len(want) {
		return math.Inf(1)
	}
	d := 0.0
	for i, v := range got {
		d = max(d, math.Abs(v-float64(want[i])))
	}
	return d
}

func f64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func f32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// checkXOR waits for the page's XOR demo to finish its run and checks
// that its loss fell: the mean of the last 100 epochs must be below a
// tenth of the first 100's, and the four outputs on the right side of
// 0.5.
func checkXOR(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.body.dataset.xor === 'done'`, chromedp.WithPollingTimeout(time.Minute))); err != nil {
		t.Fatalf("the XOR demo did not finish: %v", err)
	}
	losses, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`app.xorLosses`))
	if err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`Array.from(bpgen.xorOutputs())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(losses) < 200 {
		t.Fatalf("the XOR demo ran %d epochs, want at least 200", len(losses))
	}
	mean := func(v []float64) float64 {
		s := 0.0
		for _, x := range v {
			s += x
		}
		return s / float64(len(v))
	}
	first, last := mean(losses[:100]), mean(losses[len(losses)-100:])
	t.Logf("XOR demo: mean loss %.4f over the first 100 epochs, %.4f over the last 100 of %d; outputs %.3f", first, last, len(losses), out)
	if !(last < first/10) {
		t.Errorf("the XOR demo's loss fell from %.4f to %.4f only, want below a tenth", first, last)
	}
	for i, want := range []float64{0, 1, 1, 0} {
		if math.Abs(out[i]-want) >= 0.5 {
			t.Errorf("XOR demo: output %d is %.3f, want %v", i, out[i], want)
		}
	}
}

// logTiming logs the in-browser times that the page measured with
// performance.now, after the last drawing.
func logTiming(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`app.inferMs !== null`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the page did not time the inference: %v", err)
	}
	type minMedian struct{ Min, Median float64 }
	tm, err := chromedp.Run(ctx, chromedp.Evaluate[struct {
		Analyze        []float64
		Forward, Infer minMedian
	}](`({analyze: app.analyzeMs, forward: app.forwardMs, infer: app.inferMs})`))
	if err != nil {
		t.Fatal(err)
	}
	isolated, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`crossOriginIsolated`))
	if err != nil || !isolated {
		t.Errorf("the page is not cross-origin isolated (%v), so its timer is coarse", err)
	}
	if len(tm.Analyze) == 0 || tm.Forward.Min <= 0 || tm.Infer.Min <= 0 {
		t.Fatalf("the page measured no time: %+v", tm)
	}
	a := slices.Clone(tm.Analyze)
	slices.Sort(a)
	t.Logf("in-browser times per call, fastest and median of 15 batches of 20: inference (preprocessing and Forward) %.3f and %.3f ms, Forward alone %.3f and %.3f ms; the page's whole analysis of a drawing (also hidden layers and InputGradient) median %.3f ms over %d calls",
		tm.Infer.Min, tm.Infer.Median, tm.Forward.Min, tm.Forward.Median, a[len(a)/2], len(a))
}

// screenshot writes a screenshot of the page's top part to docs/web.png,
// without the times measured, which change from run to run. Two runs
// still differ in a few anti-aliased pixels of the panels' rounded
// corners, so the file is left as it is when at most screenshotSlack
// pixels differ: it changes when the page does, and git status stays
// clean otherwise.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.body.classList.add('shot')`)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.FromSlash(screenshotPath)
	if old, err := os.ReadFile(path); err == nil {
		if n, err := pixelsDiffering(old, shot); err == nil && n <= screenshotSlack {
			t.Logf("%s is current (%d pixels differ)", screenshotPath, n)
			return
		}
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%d bytes)", screenshotPath, len(shot))
}

// screenshotSlack is how many pixels a new screenshot may differ in from
// docs/web.png for the file to stay as it is.
const screenshotSlack = 100

// pixelsDiffering decodes two PNG images and returns how many of their
// pixels differ; images of different sizes differ everywhere.
func pixelsDiffering(a, b []byte) (int, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, err
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, err
	}
	r := ia.Bounds()
	if r != ib.Bounds() {
		return max(r.Dx()*r.Dy(), ib.Bounds().Dx()*ib.Bounds().Dy()), nil
	}
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ia.At(x, y) != ib.At(x, y) {
				n++
			}
		}
	}
	return n, nil
}
