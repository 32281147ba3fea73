package spec

import (
	"fmt"
	"go/token"
	"sort"
	"strings"
)

// Error is one problem found in a spec file.
type Error struct {
	Pos token.Position // where the problem is, as file:line:col (columns count bytes; a tab is one column)
	Msg string         // what is wrong and what to change, lowercase, without a trailing period

	atCall bool // Lower: already reported at the call of the function whose body has the problem
}

// Error returns the problem as "file:line:col: msg".
func (e *Error) Error() string {
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList is the list of problems found in a spec file, sorted by position.
// [Parse] returns an ErrorList as its error when the spec has problems.
type ErrorList []*Error

// maxPrinted is how many errors ErrorList.Error prints; more are summarized
// in one line, as the Go compiler does, so that a badly broken file does not
// flood the terminal.
const maxPrinted = 10

// Error returns the errors one per line: at most 10 of them, then
// "(and N more errors)" if there are more.
func (l ErrorList) Error() string {
	if len(l) == 0 {
		return "no errors"
	}
	var b strings.Builder
	for i, e := range l {
		if i == maxPrinted {
			fmt.Fprintf(&b, "\n(and %d more errors)", len(l)-maxPrinted)
			break
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the errors of the list, so that errors.As can find an *Error.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// sortAndDedup sorts the list by position, then message, and removes
// repeated errors (same position and message).
func (l ErrorList) sortAndDedup() ErrorList {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return l[i].Msg < l[j].Msg
	})
	out := l[:0]
	for _, e := range l {
		if n := len(out); n > 0 && e.Pos == out[n-1].Pos && e.Msg == out[n-1].Msg {
			continue
		}
		out = append(out, e)
	}
	return out
}
