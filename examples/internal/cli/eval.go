package cli

import (
	"fmt"
	"strconv"
	"strings"
)

// Accuracy returns the fraction of pred that equals labels, in [0,1], or
// 0 if both are empty. It panics if their lengths differ.
func Accuracy(pred, labels []uint8) float64 {
	checkLen(len(pred), len(labels))
	if len(pred) == 0 {
		return 0
	}
	right := 0
	for i, p := range pred {
		if p == labels[i] {
			right++
		}
	}
	return float64(right) / float64(len(pred))
}

// ConfusionMatrix returns the classes x classes matrix m in which m[t][p]
// counts the examples of true class t predicted as class p. It panics if
// the lengths of pred and labels differ or a value is not below classes.
func ConfusionMatrix(pred, labels []uint8, classes int) [][]int {
	checkLen(len(pred), len(labels))
	m := make([][]int, classes)
	cells := make([]int, classes*classes)
	for t := range m {
		m[t] = cells[t*classes : (t+1)*classes : (t+1)*classes]
	}
	for i, p := range pred {
		t := labels[i]
		if int(p) >= classes || int(t) >= classes {
			panic(fmt.Sprintf("cli.ConfusionMatrix: example %d has prediction %d and label %d, want both below %d", i, p, t, classes))
		}
		m[t][p]++
	}
	return m
}

// FormatConfusion formats a confusion matrix as made by ConfusionMatrix as
// a table: one row per true class, one column per predicted class, a last
// column with the recall of each class (the fraction of its examples
// predicted right) and a last row with the precision of each predicted
// class (the fraction of its predictions that are right). A rate with no
// example to count shows as "-". The classes are named by their numbers;
// see [FormatConfusionNamed] for other names. The text ends with a
// newline.
//
//	true\pred      0      1      2  recall
//	        0     50      2      0   96.2%
//	        1      1     60      3   93.8%
//	        2      0      0     40  100.0%
//	precision  98.0%  96.8%  93.0%
func FormatConfusion(m [][]int) string {
	names := make([]string, len(m))
	for i := range names {
		names[i] = strconv.Itoa(i)
	}
	return FormatConfusionNamed(m, names)
}

// FormatConfusionNamed formats m as FormatConfusion does, with names[c]
// heading the row and the column of class c, as in
//
//	true\pred  not 2      2  recall
//	    not 2   8936     32   99.6%
//	        2     24   1008   97.7%
//	precision  99.7%  96.9%
//
// A class without a name (names shorter than m) is named by its number.
func FormatConfusionNamed(m [][]int, names []string) string {
	n := len(m)
	name := func(c int) string {
		if c < len(names) {
			return names[c]
		}
		return strconv.Itoa(c)
	}
	width := len("100.0%")
	head := len(`true\pred`)
	for t, row := range m {
		head = max(head, len(name(t)))
		width = max(width, len(name(t)))
		for _, c := range row {
			width = max(width, len(strconv.Itoa(c)))
		}
	}
	colSum := make([]int, n)
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s", head, `true\pred`)
	for p := range n {
		fmt.Fprintf(&b, " %*s", width, name(p))
	}
	fmt.Fprintf(&b, " %*s\n", width+1, "recall")
	for t, row := range m {
		fmt.Fprintf(&b, "%*s", head, name(t))
		sum := 0
		for p, c := range row {
			fmt.Fprintf(&b, " %*d", width, c)
			sum += c
			if p < n {
				colSum[p] += c
			}
		}
		right := 0
		if t < len(row) {
			right = row[t]
		}
		fmt.Fprintf(&b, " %*s\n", width+1, rate(right, sum))
	}
	fmt.Fprintf(&b, "%-*s", head, "precision")
	for p := range n {
		right := 0
		if p < len(m[p]) {
			right = m[p][p]
		}
		fmt.Fprintf(&b, " %*s", width, rate(right, colSum[p]))
	}
	b.WriteByte('\n')
	return b.String()
}

// rate formats num/den as a percentage with one decimal, or "-" if den
// is 0.
func rate(num, den int) string {
	if den == 0 {
		return "-"
	}
	return strconv.FormatFloat(100*float64(num)/float64(den), 'f', 1, 64) + "%"
}

// PrecisionRecall scores a binary detector: pred[i] says whether example
// i was flagged, truth[i] whether it should have been. Precision is the
// fraction of flagged examples that are true, recall the fraction of true
// examples that are flagged; each is 0 when nothing is there to count (no
// example flagged, or none true). It panics if the lengths differ.
func PrecisionRecall(pred, truth []bool) (precision, recall float64) {
	checkLen(len(pred), len(truth))
	var tp, fp, fn int
	for i, p := range pred {
		switch {
		case p && truth[i]:
			tp++
		case p:
			fp++
		case truth[i]:
			fn++
		}
	}
	if tp+fp > 0 {
		precision = float64(tp) / float64(tp+fp)
	}
	if tp+fn > 0 {
		recall = float64(tp) / float64(tp+fn)
	}
	return precision, recall
}

// Argmax returns the index of the largest value of v (the first one if
// several are equal; NaNs are never chosen unless all are NaN), or -1 if v
// is empty. It turns a network's output scores into a predicted class.
func Argmax[T float32 | float64](v []T) int {
	best := -1
	for i, x := range v {
		if x != x { // NaN
			continue
		}
		if best < 0 || x > v[best] {
			best = i
		}
	}
	if best < 0 && len(v) > 0 {
		return 0
	}
	return best
}

func checkLen(a, b int) {
	if a != b {
		panic(fmt.Sprintf("cli: %d predictions but %d labels", a, b))
	}
}
