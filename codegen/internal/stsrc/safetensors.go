// This file is copied verbatim by bpgen into every generated package: the
// generator embeds its source text and replaces only the package clause. It
// therefore uses nothing but the standard library and the three declarations
// every generated package provides:
//
//	type Float = float32 // or float64
//	const floatBits = 32 // or 64, matching Float
//	type Tensor struct { Name string; Shape []int; Data []Float }
//
// and it must compile unchanged for both Float = float32 and Float = float64
// (it branches on the constant floatBits). Apart from saveTensors,
// loadTensors, saveTensorsMeta and loadTensorsMeta, every package-level name
// it declares starts with "st" so that it cannot clash with generated names.
//
// The file format is safetensors (https://github.com/huggingface/safetensors):
// an 8-byte little-endian unsigned header length N, N bytes of UTF-8 JSON
// header, then the data buffer. The header maps each tensor name to
// {"dtype", "shape", "data_offsets": [begin, end]} (offsets relative to the
// start of the data buffer) and may hold a "__metadata__" string->string map.
// Tensor data is little-endian and row-major.

package stsrc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

const (
	// stMaxHeaderSize is the largest JSON header, in bytes, that loadTensors
	// accepts (100 MiB, the same order as the reference implementation's
	// 100 MB limit). A larger header length is rejected before anything is
	// allocated.
	stMaxHeaderSize = 100 << 20

	// stMinHeaderSize is the smallest possible header ("{}").
	stMinHeaderSize = 2

	// stMaxDims is the largest number of dimensions accepted in a shape read
	// from a file.
	stMaxDims = 64

	// stMaxListed is how many unexpected tensor names an error lists.
	stMaxListed = 10

	// stMetadataKey is the reserved header key for free-form metadata.
	stMetadataKey = "__metadata__"

	// stElemSize is the size in bytes of one encoded Float.
	stElemSize = floatBits / 8

	// stReadChunk bounds the up-front allocation when reading a header or
	// data buffer whose length comes from the input: buffers larger than
	// this grow only as bytes actually arrive.
	stReadChunk = 1 << 20
)

// stDtype returns the safetensors dtype of Float: "F32" or "F64".
func stDtype() string {
	if floatBits == 64 {
		return "F64"
	}
	return "F32"
}

// saveTensors writes ts to w in safetensors format.
//
// The output is deterministic: the header lists "__metadata__":{"format":"pt"}
// first (as PyTorch's writer does) and then the tensors in the order of ts,
// and the data buffer holds their data in the same order, back to back. The
// JSON is compact and padded with spaces to a multiple of 8 bytes; every
// tensor has dtype F32 or F64 according to floatBits. Output goes through a
// bufio.Writer; the first write error is returned.
//
// It returns an error, writing nothing, if ts is inconsistent: a duplicate,
// reserved or non-UTF-8 name, a negative dimension, or len(Data) differing
// from the number of elements of Shape.
func saveTensors(w io.Writer, ts []Tensor) error {
	return saveTensorsMeta(w, ts, nil)
}

// saveTensorsMeta is saveTensors with meta, pairs of key and value, added to
// the "__metadata__" map after "format". The keys must be distinct valid
// UTF-8 strings other than "format", and so must the values be valid UTF-8.
func saveTensorsMeta(w io.Writer, ts []Tensor, meta [][2]string) error {
	if err := stCheckTensors(ts); err != nil {
		return err
	}
	header := stHeader(ts, meta)
	bw := bufio.NewWriterSize(w, 64<<10)
	var size [8]byte
	binary.LittleEndian.PutUint64(size[:], uint64(len(header)))
	bw.Write(size[:]) // errors are sticky in bufio.Writer; checked below
	bw.Write(header)
	var chunk [4096]byte
	for _, t := range ts {
		data := t.Data
		for len(data) > 0 {
			k := min(len(data), len(chunk)/stElemSize)
			stEncode(chunk[:k*stElemSize], data[:k])
			if _, err := bw.Write(chunk[:k*stElemSize]); err != nil {
				return fmt.Errorf("safetensors: writing: %w", err)
			}
			data = data[k:]
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: writing: %w", err)
	}
	return nil
}

// loadTensors reads a safetensors file from r into the Data of ts.
//
// r is treated as untrusted. The file must hold exactly the tensors of ts
// (matched by name, in any order in the header and in the data buffer), each
// with dtype F32 or F64 as floatBits requires and exactly the Shape of its
// Tensor. An optional "__metadata__" entry must be an object of strings and
// is otherwise ignored. The data_offsets of the tensors must each span exactly
// the tensor's size and together tile the data buffer [0, total) with no
// overlap and no gap, so the data buffer is never larger than the sum of the
// expected tensor sizes. All offsets are validated before the data buffer is
// allocated, and exactly total bytes are read after the header (nothing
// beyond it).
//
// The header length must be between 2 and stMaxHeaderSize bytes. Buffers
// whose length comes from the input grow only as data actually arrives, so a
// short input cannot cause a large allocation.
//
// The tensors are written only after the whole file has been read and
// validated: on any error they are unchanged. Every error message starts with
// "safetensors: ". loadTensors never panics on malformed input.
func loadTensors(r io.Reader, ts []Tensor) error {
	return loadTensorsMeta(r, ts, nil)
}

// loadTensorsMeta is loadTensors that also hands the file's "__metadata__"
// map (empty if the file has none) to check, when the header is valid and
// before any tensor is written; an error from check is returned as is and
// leaves the tensors unchanged. A nil check accepts any metadata.
func loadTensorsMeta(r io.Reader, ts []Tensor, check func(meta map[string]string) error) error {
	if err := stCheckTensors(ts); err != nil {
		return err
	}

	var size [8]byte
	if k, err := io.ReadFull(r, size[:]); err != nil {
		return stReadError("header size", k, len(size), err)
	}
	n := binary.LittleEndian.Uint64(size[:])
	if n < stMinHeaderSize {
		return fmt.Errorf("safetensors: header size %d too small", n)
	}
	if n > stMaxHeaderSize {
		return fmt.Errorf("safetensors: header size %d exceeds limit of %d bytes", n, stMaxHeaderSize)
	}
	header, err := stReadExact(r, int(n))
	if err != nil {
		return stReadError("header", len(header), int(n), err)
	}

	begins, total, meta, err := stParseHeader(header, ts)
	if err != nil {
		return err
	}
	if check != nil {
		if err := check(meta); err != nil {
			return err
		}
	}

	data, err := stReadExact(r, total)
	if err != nil {
		return stReadError("data", len(data), total, err)
	}

	// Everything is valid: the raw data buffer is the staging copy, and
	// decoding it into the tensors cannot fail.
	for i, t := range ts {
		b := begins[i]
		stDecode(t.Data, data[b:b+len(t.Data)*stElemSize])
	}
	return nil
}

// stCheckTensors reports caller errors in ts: duplicate, reserved or
// non-UTF-8 names, negative dimensions, and Data lengths that do not match
// Shape.
func stCheckTensors(ts []Tensor) error {
	seen := make(map[string]bool, len(ts))
	for _, t := range ts {
		switch {
		case t.Name == stMetadataKey:
			return fmt.Errorf("safetensors: tensor name %q is reserved", t.Name)
		case !utf8.ValidString(t.Name):
			return fmt.Errorf("safetensors: tensor name %q is not valid UTF-8", t.Name)
		case seen[t.Name]:
			return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		seen[t.Name] = true
		numel := 1
		for _, d := range t.Shape {
			if d < 0 {
				return fmt.Errorf("safetensors: tensor %q: negative dimension in shape %v", t.Name, t.Shape)
			}
			if d != 0 && numel > math.MaxInt/stElemSize/d {
				return fmt.Errorf("safetensors: tensor %q: shape %v too large", t.Name, t.Shape)
			}
			numel *= d
		}
		if numel != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: shape %v has %d elements but Data has %d", t.Name, t.Shape, numel, len(t.Data))
		}
	}
	return nil
}

// stHeader returns the JSON header for ts, padded with spaces to a multiple
// of 8 bytes, laid out as the reference (Rust) writer does: compact JSON,
// "__metadata__" first, fields in the order dtype, shape, data_offsets.
func stHeader(ts []Tensor, meta [][2]string) []byte {
	b := []byte(`{"__metadata__":{"format":"pt"`)
	for _, kv := range meta {
		b = append(b, ',')
		b = stAppendString(b, kv[0])
		b = append(b, ':')
		b = stAppendString(b, kv[1])
	}
	b = append(b, '}')
	var off uint64
	for _, t := range ts {
		b = append(b, ',')
		b = stAppendString(b, t.Name)
		b = append(b, `:{"dtype":"`...)
		b = append(b, stDtype()...)
		b = append(b, `","shape":[`...)
		for i, d := range t.Shape {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(d), 10)
		}
		b = append(b, `],"data_offsets":[`...)
		end := off + uint64(len(t.Data))*stElemSize
		b = strconv.AppendUint(b, off, 10)
		b = append(b, ',')
		b = strconv.AppendUint(b, end, 10)
		b = append(b, "]}"...)
		off = end
	}
	b = append(b, '}')
	for len(b)%8 != 0 {
		b = append(b, ' ')
	}
	return b
}

// stAppendString appends s (valid UTF-8) as a JSON string, escaping exactly
// what serde_json escapes: '"', '\\' and control characters below U+0020.
func stAppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// stEncode writes src little-endian into dst, which has room for exactly
// len(src) elements.
func stEncode(dst []byte, src []Float) {
	for i, v := range src {
		if floatBits == 64 {
			binary.LittleEndian.PutUint64(dst[8*i:], math.Float64bits(float64(v)))
		} else {
			binary.LittleEndian.PutUint32(dst[4*i:], math.Float32bits(float32(v)))
		}
	}
}

// stDecode reads len(dst) little-endian elements from src into dst.
func stDecode(dst []Float, src []byte) {
	for i := range dst {
		if floatBits == 64 {
			dst[i] = Float(math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:])))
		} else {
			dst[i] = Float(math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:])))
		}
	}
}

// stReadExact reads exactly n bytes from r. Up to stReadChunk bytes are
// allocated at once; beyond that the buffer doubles (never past n) only as
// bytes arrive. On error it returns the bytes read so far.
func stReadExact(r io.Reader, n int) ([]byte, error) {
	if n <= stReadChunk {
		b := make([]byte, n)
		k, err := io.ReadFull(r, b)
		return b[:k], err
	}
	b := make([]byte, 0, stReadChunk)
	for len(b) < n {
		if len(b) == cap(b) {
			nb := make([]byte, len(b), min(2*cap(b), n))
			copy(nb, b)
			b = nb
		}
		k, err := io.ReadFull(r, b[len(b):cap(b)])
		b = b[:len(b)+k]
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

// stReadError describes a failure to read want bytes of what, got of which
// arrived.
func stReadError(what string, got, want int, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("safetensors: truncated %s: got %d of %d bytes", what, got, want)
	}
	return fmt.Errorf("safetensors: reading %s: %w", what, err)
}

// stEntry is one tensor's header entry as read from a file.
type stEntry struct {
	dtype   string
	shape   []uint64
	offsets []uint64
}

// stParseHeader validates header against ts. It returns, for each tensor of
// ts, the offset of its data in the data buffer, the length of the data
// buffer, which is the sum of the sizes of the tensors of ts, and the
// metadata map (empty if there is none).
func stParseHeader(header []byte, ts []Tensor) (begins []int, total int, metadata map[string]string, err error) {
	if !utf8.Valid(header) {
		return nil, 0, nil, errors.New("safetensors: header is not valid UTF-8")
	}
	index := make(map[string]int, len(ts))
	for i, t := range ts {
		index[t.Name] = i
	}
	raws := make([]json.RawMessage, len(ts))
	var extra []string // the first stMaxListed unexpected names
	nextra := 0
	var meta json.RawMessage
	err = stWalkObject(header, func(key string, val json.RawMessage) error {
		if key == stMetadataKey {
			if meta != nil {
				return fmt.Errorf("duplicate key %q", key)
			}
			meta = val
			return nil
		}
		i, ok := index[key]
		if !ok {
			// Only a few names are kept: a header full of unknown
			// keys must not cost memory.
			if nextra < stMaxListed {
				extra = append(extra, key)
			}
			nextra++
			return nil
		}
		if raws[i] != nil {
			return fmt.Errorf("duplicate key %q", key)
		}
		raws[i] = val
		return nil
	})
	if err != nil {
		return nil, 0, nil, fmt.Errorf("safetensors: invalid header: %v", err)
	}
	metadata = map[string]string{}
	if meta != nil {
		if metadata, err = stCheckMetadata(meta); err != nil {
			return nil, 0, nil, fmt.Errorf("safetensors: invalid %s: %v", stMetadataKey, err)
		}
	}

	begins, ends, err := stPlace(raws, ts)
	if err != nil {
		return nil, 0, nil, err
	}
	if nextra > 0 {
		return nil, 0, nil, stExtraError(extra, nextra)
	}
	total, err = stTile(begins, ends, ts)
	if err != nil {
		return nil, 0, nil, err
	}
	return begins, total, metadata, nil
}

// stPlace checks the header entry raws[i] of each tensor ts[i] (dtype,
// shape, data_offsets) and returns where each one's data begins and ends
// in the data buffer.
func stPlace(raws []json.RawMessage, ts []Tensor) (begins []int, ends []uint64, err error) {
	dtype := stDtype()
	begins = make([]int, len(ts))
	ends = make([]uint64, len(ts))
	// The data buffer holds the tensors and nothing else, so it has the
	// sum of their sizes: a tensor that ends beyond that is misplaced
	// whatever the others say.
	var size uint64
	for _, t := range ts {
		size += uint64(len(t.Data)) * stElemSize
	}
	for i, t := range ts {
		if raws[i] == nil {
			return nil, nil, fmt.Errorf("safetensors: missing tensor %q", t.Name)
		}
		e, err := stParseEntry(raws[i])
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: invalid entry: %v", t.Name, err)
		}
		if e.dtype != dtype {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: dtype %s, want %s", t.Name, stShowDtype(e.dtype), dtype)
		}
		if !stSameShape(e.shape, t.Shape) {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: shape %v, want %v", t.Name, e.shape, t.Shape)
		}
		b, end := e.offsets[0], e.offsets[1]
		want := uint64(len(t.Data)) * stElemSize
		if end < b {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: invalid data_offsets [%d %d]", t.Name, b, end)
		}
		if end-b != want {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] span %d bytes, want %d", t.Name, b, end, end-b, want)
		}
		if end > size {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors", t.Name, b, end, size)
		}
		begins[i] = int(b)
		ends[i] = end
	}
	return begins, ends, nil
}

// stTile checks that the tensors tile [0, total) exactly, sorted by
// offsets, each starting where the previous one ended, and returns total.
// Each has its size and ends within the sum of the sizes (stPlace), so one
// that starts late overlaps another: there is no gap without an overlap.
func stTile(begins []int, ends []uint64, ts []Tensor) (int, error) {
	order := make([]int, len(ts))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if begins[i] != begins[j] {
			return begins[i] < begins[j]
		}
		return ends[i] < ends[j]
	})
	cursor := 0
	for k, i := range order {
		if begins[i] < cursor {
			return 0, fmt.Errorf("safetensors: tensors %q and %q overlap in the data buffer", ts[order[k-1]].Name, ts[i].Name)
		}
		cursor = int(ends[i])
	}
	return cursor, nil
}

// stExtraError reports the unexpected tensors of a header: names holds the
// first few of them, n is how many there are.
func stExtraError(names []string, n int) error {
	q := make([]string, len(names))
	for i, s := range names {
		q[i] = strconv.Quote(s)
	}
	list := strings.Join(q, ", ")
	if n > len(names) {
		list += fmt.Sprintf(" and %d more", n-len(names))
	}
	if n == 1 {
		return fmt.Errorf("safetensors: unexpected tensor %s", list)
	}
	return fmt.Errorf("safetensors: unexpected tensors %s", list)
}

// stSameShape reports whether the shape read from a file equals want.
func stSameShape(got []uint64, want []int) bool {
	if len(got) != len(want) {
		return false
	}
	for i, d := range got {
		if d != uint64(want[i]) {
			return false
		}
	}
	return true
}

// stShowDtype returns a dtype read from a file for an error message: as is
// if it looks like a dtype, quoted otherwise.
func stShowDtype(s string) string {
	if s == "" || len(s) > 16 {
		return strconv.Quote(s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_') {
			return strconv.Quote(s)
		}
	}
	return s
}

// stWalkObject parses data as one JSON object (surrounding whitespace
// allowed) and calls f with each key and raw value, in order.
func stWalkObject(data []byte, f func(key string, val json.RawMessage) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := stExpectDelim(dec, '{', "object"); err != nil {
		return err
	}
	for dec.More() {
		tok, err := stToken(dec)
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok { // unreachable: Token checks object syntax
			return errors.New("object key is not a string")
		}
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return stEOF(err)
		}
		if err := f(key, val); err != nil {
			return err
		}
	}
	if err := stExpectDelim(dec, '}', "end of object"); err != nil {
		return err
	}
	return stExpectEnd(dec)
}

// stExpectDelim reads the next token of dec and checks that it is d.
func stExpectDelim(dec *json.Decoder, d json.Delim, what string) error {
	tok, err := stToken(dec)
	if err != nil {
		return err
	}
	if got, ok := tok.(json.Delim); !ok || got != d {
		return fmt.Errorf("not a JSON %s", what)
	}
	return nil
}

// stToken returns the next token of dec; running out of input is an error.
func stToken(dec *json.Decoder) (json.Token, error) {
	tok, err := dec.Token()
	return tok, stEOF(err)
}

// stEOF turns the end of input in the middle of a JSON value into an error
// that says so.
func stEOF(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("unexpected end of JSON input")
	}
	return err
}

// stExpectEnd checks that dec has nothing left but whitespace.
func stExpectEnd(dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err != nil {
			return err
		}
		return errors.New("unexpected data after JSON value")
	}
	return nil
}

// stParseString parses raw as a JSON string.
func stParseString(raw json.RawMessage) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	tok, err := stToken(dec)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", errors.New("not a JSON string")
	}
	return s, stExpectEnd(dec)
}

// stParseUints parses raw as a JSON array of at most maxLen non-negative
// integers, each written without fraction or exponent.
func stParseUints(raw json.RawMessage, maxLen int) ([]uint64, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := stExpectDelim(dec, '[', "array"); err != nil {
		return nil, err
	}
	var v []uint64
	for dec.More() {
		if len(v) == maxLen {
			return nil, fmt.Errorf("more than %d elements", maxLen)
		}
		tok, err := stToken(dec)
		if err != nil {
			return nil, err
		}
		num, ok := tok.(json.Number)
		if !ok {
			return nil, fmt.Errorf("element %d is not a number", len(v))
		}
		u, err := strconv.ParseUint(string(num), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("element %d (%s) is not a non-negative 64-bit integer", len(v), num)
		}
		v = append(v, u)
	}
	if err := stExpectDelim(dec, ']', "end of array"); err != nil {
		return nil, err
	}
	if v == nil {
		v = []uint64{}
	}
	return v, stExpectEnd(dec)
}

// stParseEntry parses one tensor entry: an object with exactly the fields
// "dtype" (a string), "shape" (an array of at most stMaxDims integers) and
// "data_offsets" (an array of two integers).
func stParseEntry(raw json.RawMessage) (stEntry, error) {
	var e stEntry
	var haveDtype bool
	err := stWalkObject(raw, func(key string, val json.RawMessage) error {
		var err error
		switch key {
		case "dtype":
			if haveDtype {
				return fmt.Errorf("duplicate field %q", key)
			}
			haveDtype = true
			e.dtype, err = stParseString(val)
		case "shape":
			if e.shape != nil {
				return fmt.Errorf("duplicate field %q", key)
			}
			e.shape, err = stParseUints(val, stMaxDims)
		case "data_offsets":
			if e.offsets != nil {
				return fmt.Errorf("duplicate field %q", key)
			}
			e.offsets, err = stParseUints(val, 2)
			if err == nil && len(e.offsets) != 2 {
				err = errors.New("not 2 elements")
			}
		default:
			return fmt.Errorf("unknown field %q", key)
		}
		if err != nil {
			return fmt.Errorf("field %q: %v", key, err)
		}
		return nil
	})
	switch {
	case err != nil:
	case !haveDtype:
		err = errors.New(`missing field "dtype"`)
	case e.shape == nil:
		err = errors.New(`missing field "shape"`)
	case e.offsets == nil:
		err = errors.New(`missing field "data_offsets"`)
	}
	return e, err
}

// stCheckMetadata checks that raw is a JSON object whose values are strings,
// with no duplicate keys, and returns it as a map.
func stCheckMetadata(raw json.RawMessage) (map[string]string, error) {
	meta := make(map[string]string)
	err := stWalkObject(raw, func(key string, val json.RawMessage) error {
		if _, ok := meta[key]; ok {
			return fmt.Errorf("duplicate key %q", key)
		}
		v, err := stParseString(val)
		if err != nil {
			return fmt.Errorf("value of %q is not a string", key)
		}
		meta[key] = v
		return nil
	})
	return meta, err
}
