package cli

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// Progress reports the progress of a training run, epoch by epoch.
//
// It has three modes, chosen by [NewProgress]:
//
//   - terminal: when the writer is a terminal, a live progress bar per
//     epoch with count, rate, elapsed time, ETA and the running loss,
//     replaced at the end of the epoch by a one-line summary;
//   - plain: when the writer is a file or a pipe, one summary line per
//     epoch, and in long epochs a line at every 10% of the epoch, at most
//     one a second, so logs stay readable;
//   - quiet: nothing at all.
//
// In every mode EndEpoch records the epoch in [Progress.History].
//
// A typical loop:
//
//	p := cli.NewProgress(os.Stderr, flags.Quiet)
//	for epoch := 1; epoch <= flags.Epochs; epoch++ {
//		p.StartEpoch(epoch, flags.Epochs, len(train))
//		for each batch {
//			loss := ... // mean loss of the batch
//			p.Add(batchSize, loss)
//		}
//		p.EndEpoch(p.MeanLoss(), trainAcc, testAcc)
//	}
//
// A Progress is not safe for concurrent use.
type Progress struct {
	// Unit names what is counted, in rates such as "1234 img/s".
	// NewProgress sets it to "img".
	Unit string

	w     io.Writer
	mode  mode
	now   func() time.Time
	gap   time.Duration // plain mode: least time between two lines
	bar   *progressbar.ProgressBar
	hist  History
	inEp  bool
	epoch int
	total int

	epochs   int
	done     int
	lossSum  float64
	lossN    int
	start    time.Time
	lastLine time.Time
	nextMark int // plain mode: the next tenth of the epoch to report
}

type mode int

const (
	modePlain mode = iota
	modeTerminal
	modeQuiet
)

// NewProgress returns a Progress writing to w, usually os.Stderr. If quiet
// is true it writes nothing. Otherwise it draws progress bars if w is an
// *os.File that is a terminal (and $TERM is not "dumb"), and writes plain
// lines if not.
func NewProgress(w io.Writer, quiet bool) *Progress {
	m := modePlain
	switch {
	case quiet:
		m = modeQuiet
	case isTerminal(w):
		m = modeTerminal
	}
	return newProgress(w, m, time.Now)
}

func newProgress(w io.Writer, m mode, now func() time.Time) *Progress {
	return &Progress{Unit: "img", w: w, mode: m, now: now, gap: time.Second}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("TERM") == "dumb" {
		return false
	}
	return term.IsTerminal(int(f.Fd()))
}

// StartEpoch starts epoch number epoch (counted from 1) of epochs, in
// which total examples will be passed to Add. An epoch still open is
// ended first as by EndEpoch(p.MeanLoss(), NaN, NaN).
func (p *Progress) StartEpoch(epoch, epochs, total int) {
	if p.inEp {
		p.EndEpoch(p.MeanLoss(), math.NaN(), math.NaN())
	}
	p.inEp = true
	p.epoch, p.epochs, p.total = epoch, epochs, total
	p.done, p.lossSum, p.lossN = 0, 0, 0
	p.start = p.now()
	p.lastLine = p.start
	p.nextMark = 1
	if p.mode == modeTerminal && total > 0 {
		p.bar = progressbar.NewOptions(total,
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(p.epochLabel()),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(p.Unit),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionFullWidth(),
			progressbar.OptionSetRenderBlankState(true),
		)
	}
}

// Add records that n more examples of the epoch were processed, with mean
// loss loss over those n. The running mean is what [Progress.MeanLoss]
// returns; a NaN or infinite loss is shown as such but left out of it.
func (p *Progress) Add(n int, loss float64) {
	p.done += n
	p.lossSum += loss * float64(n)
	p.lossN += n
	switch p.mode {
	case modeTerminal:
		if p.bar != nil {
			p.bar.Describe(p.epochLabel() + "  loss " + fmtLoss(p.MeanLoss()))
			p.bar.Add(n)
		}
	case modePlain:
		if p.total <= 0 || p.nextMark > 9 || p.done*10 < p.nextMark*p.total {
			return
		}
		p.nextMark = min(p.done*10/p.total, 9) + 1
		now := p.now()
		if now.Sub(p.lastLine) < p.gap || p.done >= p.total {
			return
		}
		p.lastLine = now
		elapsed := now.Sub(p.start)
		rate := float64(p.done) / elapsed.Seconds()
		eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
		fmt.Fprintf(p.w, "%s %3d%%  %*d/%d  loss %s  %s %s/s  eta %s\n",
			p.epochLabel(), p.done*100/p.total, len(strconv.Itoa(p.total)), p.done, p.total,
			fmtLoss(p.MeanLoss()), fmtRate(rate), p.Unit, fmtDuration(eta))
	}
}

// MeanLoss returns the mean of the losses passed to Add in this epoch,
// weighted by their n, or NaN before any Add. A single NaN loss (a
// diverging run) makes it NaN, as it should be seen.
func (p *Progress) MeanLoss() float64 {
	if p.lossN == 0 {
		return math.NaN()
	}
	return p.lossSum / float64(p.lossN)
}

// EndEpoch ends the epoch: it records loss and the accuracies (fractions
// in [0,1]) in the history and, unless quiet, writes a summary line such as
//
//	epoch  3/10  loss 0.2134  train 93.52%  test 93.10%  4.2s
//
// Pass math.NaN() for an accuracy that was not measured: it is left out
// of the line and of the plot.
func (p *Progress) EndEpoch(loss, trainAcc, testAcc float64) {
	p.inEp = false
	elapsed := p.now().Sub(p.start)
	p.hist.Add(p.epoch, loss, trainAcc, testAcc)
	if p.mode == modeQuiet {
		return
	}
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
		p.bar = nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s  loss %s", p.epochLabel(), fmtLoss(loss))
	if !math.IsNaN(trainAcc) {
		fmt.Fprintf(&b, "  train %s", fmtPercent(trainAcc))
	}
	if !math.IsNaN(testAcc) {
		fmt.Fprintf(&b, "  test %s", fmtPercent(testAcc))
	}
	fmt.Fprintf(&b, "  %s\n", fmtDuration(elapsed))
	io.WriteString(p.w, b.String())
}

// Logf writes a line of its own, formatted as by fmt.Printf, unless
// quiet. In terminal mode it clears the progress bar first; the bar comes
// back with the next Add.
func (p *Progress) Logf(format string, args ...any) {
	if p.mode == modeQuiet {
		return
	}
	if p.bar != nil {
		p.bar.Clear()
	}
	s := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	io.WriteString(p.w, s)
}

// History returns the epochs ended so far. It is the Progress's own
// record, which later epochs extend.
func (p *Progress) History() *History { return &p.hist }

func (p *Progress) epochLabel() string {
	return fmt.Sprintf("epoch %*d/%d", len(strconv.Itoa(p.epochs)), p.epoch, p.epochs)
}

func fmtLoss(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return fmt.Sprint(v)
	}
	return strconv.FormatFloat(v, 'f', 4, 64)
}

func fmtPercent(v float64) string { return strconv.FormatFloat(100*v, 'f', 2, 64) + "%" }

func fmtRate(r float64) string {
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return "-"
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// fmtDuration formats d in seconds with one decimal below a minute
// ("0.8s", "4s", "12.3s") and as time.Duration does, rounded to the
// second, above ("1m5s").
func fmtDuration(d time.Duration) string {
	if d < time.Minute {
		s := strconv.FormatFloat(d.Round(100*time.Millisecond).Seconds(), 'f', 1, 64)
		return strings.TrimSuffix(s, ".0") + "s"
	}
	return d.Round(time.Second).String()
}
