// Package mdhtml renders the Markdown that bpgen explain -format=md prints
// as HTML, with its TeX formulas as MathML, which browsers draw without
// any script or font of their own. The web example shows the derivation
// of the ten-digit network with it.
//
// It knows the part of Markdown that explain prints: # and ## headings,
// paragraphs, lists of "- " items, tables, `code`, $inline$ formulas and
// $$ display formulas $$, and the TeX commands of bpgen's formulas. A
// formula it cannot convert is an error, so that a change to explain's
// output cannot go unnoticed: the example's test renders the derivations
// of every spec in generated/.
package mdhtml

import (
	"fmt"
	"html"
	"strings"
)

// Render returns the HTML for the Markdown text md.
func Render(md string) (string, error) {
	var b strings.Builder
	lines := strings.Split(strings.TrimRight(md, "\n"), "\n")
	for i := 0; i < len(lines); {
		n, err := block(&b, lines[i:])
		if err != nil {
			return "", fmt.Errorf("line %d: %w", i+1, err)
		}
		i += n
	}
	return b.String(), nil
}

// block renders the block that starts at lines[0] and returns how many
// lines it took.
func block(b *strings.Builder, lines []string) (int, error) {
	line := lines[0]
	switch {
	case strings.TrimSpace(line) == "":
		return 1, nil
	case strings.HasPrefix(line, "## "), strings.HasPrefix(line, "# "):
		level := strings.Index(line, " ")
		s, err := inline(line[level+1:])
		fmt.Fprintf(b, "<h%d>%s</h%d>\n", level, s, level)
		return 1, err
	case line == "$$":
		n := 1
		for n < len(lines) && lines[n] != "$$" {
			n++
		}
		if n == len(lines) {
			return 0, fmt.Errorf("$$ without its closing $$")
		}
		m, err := TeX(strings.Join(lines[1:n], "\n"), true)
		b.WriteString(m + "\n")
		return n + 1, err
	case strings.HasPrefix(line, "- "):
		return list(b, lines)
	case strings.HasPrefix(line, "|"):
		return table(b, lines)
	}
	n := 0
	for n < len(lines) && strings.TrimSpace(lines[n]) != "" && lines[n] != "$$" &&
		!strings.HasPrefix(lines[n], "#") && !strings.HasPrefix(lines[n], "- ") && !strings.HasPrefix(lines[n], "|") {
		n++
	}
	s, err := inline(strings.Join(lines[:n], " "))
	b.WriteString("<p>" + s + "</p>\n")
	return n, err
}

// list renders consecutive "- " items.
func list(b *strings.Builder, lines []string) (int, error) {
	b.WriteString("<ul>\n")
	n := 0
	for ; n < len(lines) && strings.HasPrefix(lines[n], "- "); n++ {
		s, err := inline(lines[n][2:])
		if err != nil {
			return 0, err
		}
		b.WriteString("<li>" + s + "</li>\n")
	}
	b.WriteString("</ul>\n")
	return n, nil
}

// table renders a table: a header row, a separator row and body rows.
func table(b *strings.Builder, lines []string) (int, error) {
	n := 0
	for n < len(lines) && strings.HasPrefix(lines[n], "|") {
		n++
	}
	if n < 2 || strings.Trim(lines[1], "|-: ") != "" {
		return 0, fmt.Errorf("table without its |---| row")
	}
	b.WriteString("<table>\n")
	for i, row := range lines[:n] {
		if i == 1 {
			continue
		}
		tag := "td"
		if i == 0 {
			tag = "th"
		}
		b.WriteString("<tr>")
		for _, cell := range strings.Split(strings.Trim(row, "|"), "|") {
			s, err := inline(strings.TrimSpace(cell))
			if err != nil {
				return 0, err
			}
			fmt.Fprintf(b, "<%s>%s</%s>", tag, s, tag)
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table>\n")
	return n, nil
}

// inline renders text with `code` and $formulas$.
func inline(s string) (string, error) {
	var b strings.Builder
	for s != "" {
		i := strings.IndexAny(s, "`$")
		if i < 0 {
			b.WriteString(html.EscapeString(s))
			break
		}
		b.WriteString(html.EscapeString(s[:i]))
		delim := s[i : i+1]
		j := strings.Index(s[i+1:], delim)
		if j < 0 {
			return "", fmt.Errorf("%s without its closing %s in %q", delim, delim, s)
		}
		body := s[i+1 : i+1+j]
		if delim == "`" {
			b.WriteString("<code>" + html.EscapeString(body) + "</code>")
		} else {
			m, err := TeX(body, false)
			if err != nil {
				return "", err
			}
			b.WriteString(m)
		}
		s = s[i+2+j:]
	}
	return b.String(), nil
}
