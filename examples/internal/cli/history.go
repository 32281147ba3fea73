package cli

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// History is the record of a training run, one entry per epoch in each
// slice. Accuracies are fractions in [0,1]; NaN marks a value that was not
// measured.
type History struct {
	Epoch    []int
	Loss     []float64
	TrainAcc []float64
	TestAcc  []float64
}

// Add appends one epoch to h.
func (h *History) Add(epoch int, loss, trainAcc, testAcc float64) {
	h.Epoch = append(h.Epoch, epoch)
	h.Loss = append(h.Loss, loss)
	h.TrainAcc = append(h.TrainAcc, trainAcc)
	h.TestAcc = append(h.TestAcc, testAcc)
}

// Len returns the number of epochs in h.
func (h *History) Len() int { return len(h.Epoch) }

// PlotWidth and PlotHeight are the size of the image WritePNG draws.
const (
	PlotWidth  = 8 * vg.Inch
	PlotHeight = 4 * vg.Inch
)

// PlotDPI is the resolution of the image WritePNG draws: 8x4 inches at
// 120 dpi make 960x480 pixels.
const PlotDPI = 120

// WritePNG draws h as a PNG image of PlotWidth x PlotHeight into the file
// path (created or truncated): on the left the training loss per epoch,
// on the right the training and test accuracy per epoch in percent. NaN
// values are left out. It fails if h has no epoch.
func (h *History) WritePNG(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := h.EncodePNG(f); err != nil {
		f.Close()
		return fmt.Errorf("writing plot %s: %w", path, err)
	}
	return f.Close()
}

// EncodePNG draws h as WritePNG does and writes the PNG image to w.
func (h *History) EncodePNG(w io.Writer) error {
	if h.Len() == 0 {
		return errors.New("no epoch to plot")
	}
	if len(h.Loss) != h.Len() || len(h.TrainAcc) != h.Len() || len(h.TestAcc) != h.Len() {
		return fmt.Errorf("history has %d epochs but %d losses, %d train and %d test accuracies",
			h.Len(), len(h.Loss), len(h.TrainAcc), len(h.TestAcc))
	}

	loss := plot.New()
	loss.Title.Text = "Training loss"
	loss.X.Label.Text = "epoch"
	loss.Y.Label.Text = "loss"
	if pts := h.points(h.Loss, 1); len(pts) > 0 {
		if err := plotutil.AddLinePoints(loss, pts); err != nil {
			return err
		}
	}

	acc := plot.New()
	acc.Title.Text = "Accuracy"
	acc.X.Label.Text = "epoch"
	acc.Y.Label.Text = "accuracy (%)"
	var series []any
	if pts := h.points(h.TrainAcc, 100); len(pts) > 0 {
		series = append(series, "train", pts)
	}
	if pts := h.points(h.TestAcc, 100); len(pts) > 0 {
		series = append(series, "test", pts)
	}
	if len(series) > 0 {
		if err := plotutil.AddLinePoints(acc, series...); err != nil {
			return err
		}
	}
	acc.Legend.Top = false // bottom right, below rising curves

	for _, p := range []*plot.Plot{loss, acc} {
		p.Add(plotter.NewGrid())
		p.X.Tick.Marker = integerTicks{}
		p.Y.Tick.Marker = shortTicks{}
		widen(&p.X.Min, &p.X.Max, 0.5)
		widen(&p.Y.Min, &p.Y.Max, 0.05*math.Max(1, math.Abs(p.Y.Max)))
	}

	img := vgimg.NewWith(vgimg.UseWH(PlotWidth, PlotHeight), vgimg.UseDPI(PlotDPI))
	dc := draw.New(img)
	tiles := draw.Tiles{
		Rows: 1, Cols: 2,
		PadX:   vg.Inch / 4,
		PadTop: vg.Inch / 10, PadBottom: vg.Inch / 10,
		PadLeft: vg.Inch / 10, PadRight: vg.Inch / 10,
	}
	canvases := plot.Align([][]*plot.Plot{{loss, acc}}, tiles, dc)
	loss.Draw(canvases[0][0])
	acc.Draw(canvases[0][1])
	_, err := vgimg.PngCanvas{Canvas: img}.WriteTo(w)
	return err
}

// points returns the epochs and scale*values where the value is finite.
func (h *History) points(values []float64, scale float64) plotter.XYs {
	var xys plotter.XYs
	for i, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			xys = append(xys, plotter.XY{X: float64(h.Epoch[i]), Y: scale * v})
		}
	}
	return xys
}

// widen makes an empty or one-point axis range [v-d, v+d].
func widen(lo, hi *float64, d float64) {
	if *lo == *hi {
		*lo -= d
		*hi += d
	}
}

// integerTicks marks only whole epochs.
type integerTicks struct{}

func (integerTicks) Ticks(min, max float64) []plot.Tick {
	var ticks []plot.Tick
	labelled := 0
	for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
		if t.Value == math.Trunc(t.Value) {
			if t.Label != "" {
				t.Label = strconv.Itoa(int(t.Value))
				labelled++
			}
			ticks = append(ticks, t)
		}
	}
	if labelled < 2 && max-min < 20 {
		ticks = ticks[:0]
		for v := math.Ceil(min); v <= max; v++ {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.Itoa(int(v))})
		}
	}
	return ticks
}

// shortTicks are the default ticks without trailing zeros: "97.5", not
// "97.50".
type shortTicks struct{}

func (shortTicks) Ticks(min, max float64) []plot.Tick {
	ticks := (plot.DefaultTicks{}).Ticks(min, max)
	for i, t := range ticks {
		if strings.Contains(t.Label, ".") && !strings.ContainsAny(t.Label, "eE") {
			ticks[i].Label = strings.TrimRight(strings.TrimRight(t.Label, "0"), ".")
		}
	}
	return ticks
}
