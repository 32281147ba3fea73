package mdhtml

import (
	"fmt"
	"html"
	"strings"
	"unicode"
)

// symbols maps the TeX commands that stand for one symbol to the MathML
// element that shows it.
var symbols = map[string]string{
	`\partial`: "<mi>∂</mi>",
	`\sigma`:   "<mi>σ</mi>",
	`\top`:     "<mi>⊤</mi>",
	`\odot`:    "<mo>⊙</mo>",
	`\cdot`:    "<mo>⋅</mo>",
	`\times`:   "<mo>×</mo>",
	`\in`:      "<mo>∈</mo>",
	`\le`:      "<mo>≤</mo>",
	`\to`:      "<mo>→</mo>",
	`\sum`:     `<mo displaystyle="false">∑</mo>`, // explain writes \textstyle\sum
	`\exp`:     "<mi>exp</mi>",
	`\log`:     "<mi>log</mi>",
	`\max`:     "<mi>max</mi>",
	`\tanh`:    "<mi>tanh</mi>",
	`\,`:       `<mspace width="0.1667em"></mspace>`,
	`\;`:       `<mspace width="0.2778em"></mspace>`,
	`\{`:       "<mo>{</mo>",
	`\}`:       "<mo>}</mo>",
}

// doubleStruck maps the characters \mathbb is used with to their
// double-struck letters (MathML Core has no mathvariant for them).
var doubleStruck = map[string]string{"R": "ℝ", "1": "𝟙", "N": "ℕ", "Z": "ℤ"}

// texParser converts one TeX formula into MathML, token by token.
type texParser struct {
	toks []string
	pos  int
}

// TeX returns the MathML for the TeX formula src, in a <math> element
// (display="block" when display is set). It knows the commands that
// bpgen explain -format=md prints and returns an error for any other.
func TeX(src string, display bool) (string, error) {
	p := &texParser{toks: closeTruncated(texTokens(src))}
	body, err := p.seq("")
	if err != nil {
		return "", fmt.Errorf("formula %q: %w", src, err)
	}
	if p.pos < len(p.toks) {
		return "", fmt.Errorf("formula %q: unexpected %q", src, p.toks[p.pos])
	}
	attr := ""
	if display {
		attr = ` display="block"`
	}
	return "<math" + attr + "><mrow>" + body + "</mrow></math>", nil
}

// texTokens splits src into commands (\name or \ and one character),
// single characters and runs of digits, dropping spaces.
func texTokens(src string) []string {
	var toks []string
	rs := []rune(src)
	for i := 0; i < len(rs); {
		r := rs[i]
		j := i + 1
		switch {
		case unicode.IsSpace(r):
			i = j
			continue
		case r == '\\' && j < len(rs) && unicode.IsLetter(rs[j]):
			for j < len(rs) && unicode.IsLetter(rs[j]) {
				j++
			}
		case r == '\\' && j < len(rs):
			j++
		case unicode.IsDigit(r):
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.' && j+1 < len(rs) && unicode.IsDigit(rs[j+1])) {
				j++
			}
		}
		toks = append(toks, string(rs[i:j]))
		i = j
	}
	return toks
}

// closeTruncated closes the groups and \left delimiters left open by a
// row of an aligned formula that bpgen explain cut short with "..." (it
// caps each printed expression at 2000 characters), so that the rest of
// the formula still converts.
func closeTruncated(toks []string) []string {
	var out, open []string
	rowStart := 0
	for i, t := range toks {
		cut := i >= 3 && toks[i-1] == "." && toks[i-2] == "." && toks[i-3] == "."
		if cut && (t == `\\` || t == `\end`) {
			for len(open) > rowStart {
				out = append(out, strings.Fields(open[len(open)-1])...)
				open = open[:len(open)-1]
			}
		}
		switch t {
		case "{":
			open = append(open, "}")
		case `\left`:
			open = append(open, `\right .`)
		case "}", `\right`:
			open = open[:max(0, len(open)-1)]
		case `\\`:
			rowStart = len(open)
		}
		out = append(out, t)
	}
	return out
}

func (p *texParser) peek() string {
	if p.pos < len(p.toks) {
		return p.toks[p.pos]
	}
	return ""
}

func (p *texParser) next() string {
	t := p.peek()
	p.pos++
	return t
}

// seq converts atoms with their scripts up to end ("}", `\right`, `\end`,
// `\\`, "&", or "" for the end of input), which it does not consume.
func (p *texParser) seq(end string) (string, error) {
	var b strings.Builder
	for p.pos < len(p.toks) {
		t := p.peek()
		if t == end || t == "}" || t == `\right` || t == `\end` || t == `\\` || t == "&" {
			break
		}
		a, err := p.scripted()
		if err != nil {
			return "", err
		}
		b.WriteString(a)
	}
	return b.String(), nil
}

// scripted converts one atom and the sub- and superscript after it.
func (p *texParser) scripted() (string, error) {
	base, err := p.atom()
	if err != nil {
		return "", err
	}
	var sub, sup string
	for p.peek() == "_" || p.peek() == "^" {
		which := p.next()
		s, err := p.atom()
		if err != nil {
			return "", err
		}
		if which == "_" {
			sub = s
		} else {
			sup = s
		}
	}
	switch {
	case sub != "" && sup != "":
		return "<msubsup>" + base + sub + sup + "</msubsup>", nil
	case sub != "":
		return "<msub>" + base + sub + "</msub>", nil
	case sup != "":
		return "<msup>" + base + sup + "</msup>", nil
	}
	return base, nil
}

// group converts a {...} group, which must come next.
func (p *texParser) group() (string, error) {
	if t := p.next(); t != "{" {
		return "", fmt.Errorf("want {, have %q", t)
	}
	body, err := p.seq("}")
	if err != nil {
		return "", err
	}
	if t := p.next(); t != "}" {
		return "", fmt.Errorf("want }, have %q", t)
	}
	return "<mrow>" + body + "</mrow>", nil
}

// text returns the raw text of a {...} group of letters and digits.
func (p *texParser) text() (string, error) {
	if t := p.next(); t != "{" {
		return "", fmt.Errorf("want {, have %q", t)
	}
	var b strings.Builder
	for t := p.next(); t != "}"; t = p.next() {
		if t == "" || strings.HasPrefix(t, `\`) || t == "{" {
			return "", fmt.Errorf("want plain text in braces, have %q", t)
		}
		b.WriteString(t)
	}
	return html.EscapeString(b.String()), nil
}

// atom converts one token, group or command with its arguments.
func (p *texParser) atom() (string, error) {
	t := p.peek()
	switch {
	case t == "":
		return "", fmt.Errorf("unexpected end")
	case t == "{":
		return p.group()
	case strings.HasPrefix(t, `\`):
		return p.command()
	}
	p.next()
	r := []rune(t)[0]
	switch {
	case unicode.IsDigit(r):
		return "<mn>" + t + "</mn>", nil
	case unicode.IsLetter(r):
		return "<mi>" + html.EscapeString(t) + "</mi>", nil
	}
	return operator(t), nil
}

// operator returns the MathML operator for a one-character token: a
// minus sign for "-", and parentheses and brackets that keep their size
// (only \left and \right stretch).
func operator(t string) string {
	switch t {
	case "-":
		return "<mo>−</mo>"
	case "(", ")", "[", "]", "|":
		return `<mo stretchy="false">` + html.EscapeString(t) + "</mo>"
	}
	return "<mo>" + html.EscapeString(t) + "</mo>"
}

// command converts a command and its arguments.
func (p *texParser) command() (string, error) {
	t := p.next()
	if s, ok := symbols[t]; ok {
		return s, nil
	}
	switch t {
	case `\textstyle`:
		return "", nil
	case `\frac`:
		num, err := p.group()
		if err != nil {
			return "", err
		}
		den, err := p.group()
		if err != nil {
			return "", err
		}
		return "<mfrac>" + num + den + "</mfrac>", nil
	case `\sqrt`:
		arg, err := p.group()
		return "<msqrt>" + arg + "</msqrt>", err
	case `\mathrm`, `\operatorname`, `\mathbf`:
		return p.named(t)
	case `\mathbb`:
		s, err := p.text()
		if ds, ok := doubleStruck[s]; ok && err == nil {
			return "<mi>" + ds + "</mi>", nil
		}
		return "", fmt.Errorf(`\mathbb{%s}: no double-struck letter known: %v`, s, err)
	case `\left`:
		return p.fenced()
	case `\begin`:
		return p.aligned()
	}
	return "", fmt.Errorf("unknown command %s", t)
}

// named converts \mathrm, \operatorname or \mathbf and its text.
func (p *texParser) named(cmd string) (string, error) {
	s, err := p.text()
	if err != nil {
		return "", err
	}
	switch {
	case cmd == `\mathbf`:
		return `<mi mathvariant="normal" style="font-weight:bold">` + s + "</mi>", nil
	case len([]rune(s)) == 1:
		return `<mi mathvariant="normal">` + s + "</mi>", nil
	}
	return "<mi>" + s + "</mi>", nil
}

// fenced converts \left X ... \right Y, after \left.
func (p *texParser) fenced() (string, error) {
	open := p.next()
	body, err := p.seq(`\right`)
	if err != nil {
		return "", err
	}
	if t := p.next(); t != `\right` {
		return "", fmt.Errorf(`want \right, have %q`, t)
	}
	closing := p.next()
	// Delimiters grow around fractions and sums only: in MathML they
	// would also grow to the height of every superscript inside.
	stretch := strings.Contains(body, "<mfrac>") || strings.Contains(body, "∑")
	return "<mrow>" + fence(open, stretch) + body + fence(closing, stretch) + "</mrow>", nil
}

// fence returns the operator for a \left or \right delimiter.
func fence(d string, stretch bool) string {
	if d == "." {
		return ""
	}
	return fmt.Sprintf(`<mo stretchy="%t">`, stretch) + html.EscapeString(strings.TrimPrefix(d, `\`)) + "</mo>"
}

// aligned converts \begin{aligned} ... \end{aligned}, after \begin, into a
// table whose first column is aligned right and second left.
func (p *texParser) aligned() (string, error) {
	if env, err := p.text(); err != nil || env != "aligned" {
		return "", fmt.Errorf(`\begin{%s}: only aligned is known: %v`, env, err)
	}
	var b strings.Builder
	b.WriteString(`<mtable class="aligned">`)
	for {
		b.WriteString("<mtr>")
		for col := 0; ; col++ {
			cell, err := p.seq("")
			if err != nil {
				return "", err
			}
			fmt.Fprintf(&b, `<mtd class="c%d" displaystyle="true"><mrow>%s</mrow></mtd>`, col, cell)
			if p.peek() != "&" {
				break
			}
			p.next()
		}
		b.WriteString("</mtr>")
		switch t := p.next(); t {
		case `\\`:
			continue
		case `\end`:
			if env, err := p.text(); err != nil || env != "aligned" {
				return "", fmt.Errorf(`\end{%s} closes \begin{aligned}: %v`, env, err)
			}
			b.WriteString("</mtable>")
			return b.String(), nil
		default:
			return "", fmt.Errorf(`want \\ or \end{aligned}, have %q`, t)
		}
	}
}
