package cli

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeClock is a clock that moves only when told.
type fakeClock struct{ t time.Time }

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }
func nan() float64                    { return math.NaN() }

// runEpochs runs three epochs through p, moving clock along.
func runEpochs(p *Progress, clock *fakeClock) {
	// Epoch 1: ten batches of 100, half a second each, losses 1.0 and 0.5
	// in turn.
	p.StartEpoch(1, 3, 1000)
	for k := 1; k <= 10; k++ {
		clock.advance(seconds(0.5))
		loss := 1.0
		if k%2 == 0 {
			loss = 0.5
		}
		p.Add(100, loss)
	}
	p.EndEpoch(p.MeanLoss(), 0.8, 0.795)

	// Epoch 2: batches that cross several tenths at once.
	p.StartEpoch(2, 3, 1000)
	clock.advance(seconds(2))
	p.Add(350, 0.25)
	clock.advance(seconds(2))
	p.Add(350, 0.25)
	p.Logf("a note of %d words", 4)
	clock.advance(seconds(1))
	p.Add(300, 0.25)
	p.EndEpoch(p.MeanLoss(), 0.9, 0.89)

	// Epoch 3: short, nothing measured but the loss.
	p.StartEpoch(3, 3, 100)
	clock.advance(seconds(0.2))
	p.Add(100, 0.2)
	p.EndEpoch(p.MeanLoss(), nan(), nan())
}

func TestProgressPlain(t *testing.T) {
	var buf bytes.Buffer
	clock := newFakeClock()
	p := newProgress(&buf, modePlain, clock.now)
	runEpochs(p, clock)
	want := `epoch 1/3  20%   200/1000  loss 0.7500  200 img/s  eta 4s
epoch 1/3  40%   400/1000  loss 0.7500  200 img/s  eta 3s
epoch 1/3  60%   600/1000  loss 0.7500  200 img/s  eta 2s
epoch 1/3  80%   800/1000  loss 0.7500  200 img/s  eta 1s
epoch 1/3  loss 0.7500  train 80.00%  test 79.50%  5s
epoch 2/3  35%   350/1000  loss 0.2500  175 img/s  eta 3.7s
epoch 2/3  70%   700/1000  loss 0.2500  175 img/s  eta 1.7s
a note of 4 words
epoch 2/3  loss 0.2500  train 90.00%  test 89.00%  5s
epoch 3/3  loss 0.2000  0.2s
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	h := p.History()
	if h.Len() != 3 || h.Epoch[2] != 3 || h.Loss[0] != 0.75 || h.TestAcc[1] != 0.89 || !math.IsNaN(h.TrainAcc[2]) {
		t.Errorf("history %+v", *h)
	}
}

func TestProgressPlainLongEpoch(t *testing.T) {
	// 60000 examples in batches of 32, 1ms a batch: about 1.9 s an epoch,
	// so the tenths from the first one after a second are reported.
	var buf bytes.Buffer
	clock := newFakeClock()
	p := newProgress(&buf, modePlain, clock.now)
	p.Unit = "ex"
	p.StartEpoch(7, 10, 60000)
	for done := 0; done < 60000; done += 32 {
		clock.advance(time.Millisecond)
		p.Add(min(32, 60000-done), 0.1)
	}
	p.EndEpoch(0.1, 0.97, nan())
	want := `epoch  7/10  60%  36000/60000  loss 0.1000  32000 ex/s  eta 0.8s
epoch  7/10  loss 0.1000  train 97.00%  1.9s
`
	if got := buf.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestProgressQuiet(t *testing.T) {
	var buf bytes.Buffer
	clock := newFakeClock()
	p := newProgress(&buf, modeQuiet, clock.now)
	runEpochs(p, clock)
	if buf.Len() != 0 {
		t.Errorf("quiet progress wrote %q", buf.String())
	}
	if p.History().Len() != 3 {
		t.Errorf("quiet progress recorded %d epochs, want 3", p.History().Len())
	}
	if q := NewProgress(os.Stderr, true); q.mode != modeQuiet {
		t.Errorf("NewProgress(stderr, quiet) mode %v", q.mode)
	}
}

func TestProgressTerminal(t *testing.T) {
	var buf bytes.Buffer
	clock := newFakeClock()
	p := newProgress(&buf, modeTerminal, clock.now)
	runEpochs(p, clock)
	out := buf.String()
	for _, s := range []string{"epoch 1/3", "100%", "img/s", "loss 0.7500",
		"\repoch 1/3  loss 0.7500  train 80.00%  test 79.50%  5s\n",
		"a note of 4 words\n",
		"\repoch 3/3  loss 0.2000  0.2s\n"} {
		if !strings.Contains(out, s) {
			t.Errorf("terminal output lacks %q:\n%q", s, out)
		}
	}
	if !strings.HasSuffix(out, "\n") {
		t.Errorf("terminal output does not end with a newline: %q", out)
	}
}

func TestNewProgressMode(t *testing.T) {
	var buf bytes.Buffer
	if p := NewProgress(&buf, false); p.mode != modePlain {
		t.Errorf("buffer: mode %v, want plain", p.mode)
	}
	f, err := os.Create(filepath.Join(t.TempDir(), "log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if p := NewProgress(f, false); p.mode != modePlain {
		t.Errorf("file: mode %v, want plain", p.mode)
	}
}

func TestProgressMeanLoss(t *testing.T) {
	p := newProgress(&bytes.Buffer{}, modeQuiet, time.Now)
	p.StartEpoch(1, 1, 10)
	if !math.IsNaN(p.MeanLoss()) {
		t.Errorf("MeanLoss before Add = %v, want NaN", p.MeanLoss())
	}
	p.Add(2, 1)
	p.Add(6, 3)
	if p.MeanLoss() != 2.5 {
		t.Errorf("MeanLoss = %v, want 2.5", p.MeanLoss())
	}
	p.Add(2, math.NaN())
	if !math.IsNaN(p.MeanLoss()) {
		t.Errorf("MeanLoss after a NaN loss = %v, want NaN", p.MeanLoss())
	}
	// Starting an epoch ends the open one.
	p.StartEpoch(2, 2, 10)
	if p.History().Len() != 1 {
		t.Errorf("history has %d epochs, want 1", p.History().Len())
	}
}
