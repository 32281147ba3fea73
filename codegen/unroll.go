package codegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"strconv"
)

// Small loops are unrolled after emission: a loop `for i := range N` with
// a constant N of at most maxUnrollTrips, whose body has no loop, continue
// or break of its own and at most maxUnrollStmts statements in all once
// unrolled, becomes N copies of its body with i replaced by 0, 1, ....
// In a network of a few units (2-8-1) the loops' own instructions cost as
// much as the arithmetic in them; the Go compiler does not unroll loops.
// Inner loops go first, so that a loop whose inner loops were unrolled may
// be unrolled in turn.
const (
	maxUnrollTrips = 8
	maxUnrollStmts = 64
)

// unrollSmallLoops returns src with its small constant loops unrolled.
func unrollSmallLoops(src []byte) ([]byte, error) {
	for {
		out, changed, err := unrollPass(src)
		if err != nil {
			return nil, err
		}
		if !changed {
			return src, nil
		}
		src = out
	}
}

// unrollPass unrolls every loop that qualifies and contains no loop, and
// reports whether it changed anything.
func unrollPass(src []byte) ([]byte, bool, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ParseComments)
	if err != nil {
		return nil, false, fmt.Errorf("codegen: unrolling: %v", err)
	}
	type edit struct {
		from, to int
		text     []byte
	}
	var edits []edit
	ast.Inspect(file, func(n ast.Node) bool {
		loop, ok := n.(*ast.RangeStmt)
		if !ok {
			return true
		}
		name, trips, ok := smallRange(loop)
		if !ok || !unrollable(loop.Body, trips) {
			return true
		}
		from, to := fset.Position(loop.Body.Lbrace).Offset+1, fset.Position(loop.Body.Rbrace).Offset
		body := bytes.TrimSpace(src[from:to])
		declares := declaresNames(loop.Body)
		var text bytes.Buffer
		for k := range trips {
			copyText, err := replaceIdent(body, name, strconv.Itoa(k))
			if err != nil {
				return true
			}
			if declares {
				text.WriteString("{\n")
				text.Write(copyText)
				text.WriteString("\n}")
			} else {
				text.Write(copyText)
			}
			if k < trips-1 {
				text.WriteString("\n")
			}
		}
		edits = append(edits, edit{fset.Position(loop.Pos()).Offset, fset.Position(loop.End()).Offset, text.Bytes()})
		return false
	})
	if len(edits) == 0 {
		return src, false, nil
	}
	var out bytes.Buffer
	last := 0
	for _, e := range edits { // in source order, never nested
		out.Write(src[last:e.from])
		out.Write(e.text)
		last = e.to
	}
	out.Write(src[last:])
	b, err := format.Source(out.Bytes())
	if err != nil {
		return nil, false, fmt.Errorf("codegen: unrolling: %v", err)
	}
	return b, true, nil
}

// smallRange reports the variable and trip count of `for v := range N`
// with N a literal no larger than maxUnrollTrips.
func smallRange(loop *ast.RangeStmt) (string, int, bool) {
	key, ok := loop.Key.(*ast.Ident)
	if !ok || loop.Value != nil || loop.Tok != token.DEFINE {
		return "", 0, false
	}
	lit, ok := loop.X.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return "", 0, false
	}
	n, err := strconv.Atoi(lit.Value)
	if err != nil || n < 1 || n > maxUnrollTrips {
		return "", 0, false
	}
	return key.Name, n, true
}

// unrollable reports whether body, repeated trips times, stays small and
// means the same: no loops, no branch statements and no labels.
func unrollable(body *ast.BlockStmt, trips int) bool {
	ok := true
	stmts := 0
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.BranchStmt, *ast.LabeledStmt, *ast.FuncLit:
			ok = false
		case ast.Stmt:
			stmts++
		}
		return ok
	})
	return ok && stmts*trips <= maxUnrollStmts
}

// declaresNames reports whether body declares names of its own, so that
// its copies need blocks of their own.
func declaresNames(body *ast.BlockStmt) bool {
	for _, s := range body.List {
		switch s := s.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				return true
			}
		case *ast.DeclStmt:
			return true
		}
	}
	return false
}

// replaceIdent returns src with every identifier token name replaced by
// text, except where it names a field or method (after a period).
func replaceIdent(src []byte, name, text string) ([]byte, error) {
	fset := token.NewFileSet()
	file := fset.AddFile("", -1, len(src))
	var s scanner.Scanner
	var errs int
	s.Init(file, src, func(token.Position, string) { errs++ }, scanner.ScanComments)
	var out bytes.Buffer
	last := 0
	prev := token.ILLEGAL
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		after := prev
		prev = tok
		if tok == token.IDENT && lit == name && after != token.PERIOD {
			off := file.Offset(pos)
			out.Write(src[last:off])
			out.WriteString(text)
			last = off + len(lit)
		}
	}
	if errs > 0 {
		return nil, fmt.Errorf("codegen: unrolling: cannot scan a loop body")
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}
