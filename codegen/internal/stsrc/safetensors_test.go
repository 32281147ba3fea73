package stsrc

// These tests use only Float, floatBits, Tensor and the code of
// safetensors.go, and hold expectations for both floatBits = 32 and 64:
// TestFloat64Variant runs this file again against a float64 build.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
)

// elemSize is the encoded size of one Float; dtype its safetensors dtype and
// otherDtype the other float dtype.
var (
	elemSize   = floatBits / 8
	dtype      = map[int]string{32: "F32", 64: "F64"}[floatBits]
	otherDtype = map[int]string{32: "F64", 64: "F32"}[floatBits]
)

// fcModel returns the tensors of a small dense layer, in spec order (weight
// first, as a generated Tensors() lists them), filled with distinct values
// starting at base.
func fcModel(base Float) []Tensor {
	w := make([]Float, 6)
	b := make([]Float, 2)
	for i := range w {
		w[i] = base + Float(i)*0.25
	}
	for i := range b {
		b[i] = base - 1 - Float(i)*0.5
	}
	return []Tensor{
		{Name: "fc.weight", Shape: []int{2, 3}, Data: w},
		{Name: "fc.bias", Shape: []int{2}, Data: b},
	}
}

// snapshot returns the exact bits of all tensor data.
func snapshot(ts []Tensor) []byte {
	var out []byte
	for _, t := range ts {
		b := make([]byte, len(t.Data)*elemSize)
		stEncode(b, t.Data)
		out = append(out, b...)
	}
	return out
}

// le encodes vs little-endian as Float values, independently of stEncode.
func le(vs ...float64) []byte {
	var out []byte
	for _, v := range vs {
		if floatBits == 64 {
			out = binary.LittleEndian.AppendUint64(out, math.Float64bits(v))
		} else {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(float32(v)))
		}
	}
	return out
}

// file assembles a safetensors file from a header (used as is, not padded)
// and a data buffer.
func file(header string, data []byte) []byte {
	out := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	out = append(out, header...)
	return append(out, data...)
}

// fcHeader builds an unpadded header for fcModel with the given offsets (in
// bytes) and optional extra entries, weight listed first.
func fcHeader(wb, we, bb, be int, extra string) string {
	return fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[%d,%d]},"fc.bias":{"dtype":%q,"shape":[2],"data_offsets":[%d,%d]}%s}`,
		dtype, wb, we, dtype, bb, be, extra)
}

// fcData is a valid data buffer for fcModel laid out weight then bias.
func fcData() []byte { return le(1, 2, 3, 4, 5, 6, -1, -2) }

func save(t testing.TB, ts []Tensor) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := saveTensors(&buf, ts); err != nil {
		t.Fatalf("saveTensors: %v", err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	src := fcModel(3)
	src = append(src,
		Tensor{Name: "scalar", Shape: []int{}, Data: []Float{Float(math.Inf(-1))}},
		Tensor{Name: "empty", Shape: []int{0, 4}, Data: []Float{}},
		Tensor{Name: "nan \"quoted\"\n\x01é", Shape: []int{1, 1, 2}, Data: []Float{Float(math.NaN()), Float(math.Copysign(0, -1))}},
	)
	b := save(t, src)
	if len(b) < 8 {
		t.Fatal("short output")
	}
	n := binary.LittleEndian.Uint64(b)
	if n%8 != 0 {
		t.Errorf("header length %d is not a multiple of 8", n)
	}
	dst := fcModel(-7)
	dst = append(dst,
		Tensor{Name: "scalar", Shape: []int{}, Data: []Float{0}},
		Tensor{Name: "empty", Shape: []int{0, 4}, Data: []Float{}},
		Tensor{Name: "nan \"quoted\"\n\x01é", Shape: []int{1, 1, 2}, Data: []Float{0, 0}},
	)
	if err := loadTensors(bytes.NewReader(b), dst); err != nil {
		t.Fatalf("loadTensors: %v", err)
	}
	if !bytes.Equal(snapshot(src), snapshot(dst)) {
		t.Errorf("data differs after round trip")
	}
	if b2 := save(t, dst); !bytes.Equal(b, b2) {
		t.Errorf("re-save differs")
	}
}

func TestLoadDoesNotReadPastData(t *testing.T) {
	b := save(t, fcModel(1))
	r := bytes.NewReader(append(b, "trailing"...))
	if err := loadTensors(r, fcModel(0)); err != nil {
		t.Fatal(err)
	}
	if rest, _ := io.ReadAll(r); string(rest) != "trailing" {
		t.Errorf("left %q unread, want %q", rest, "trailing")
	}
}

func TestSaveGolden(t *testing.T) {
	ts := []Tensor{
		{Name: "w", Shape: []int{1, 2}, Data: []Float{1, -2}},
		{Name: "b", Shape: []int{1}, Data: []Float{0.5}},
	}
	var want string
	switch floatBits {
	case 32:
		want = "\x90\x00\x00\x00\x00\x00\x00\x00" +
			`{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}   ` +
			"\x00\x00\x80\x3f" + "\x00\x00\x00\xc0" + "\x00\x00\x00\x3f"
	case 64:
		want = "\x90\x00\x00\x00\x00\x00\x00\x00" +
			`{"__metadata__":{"format":"pt"},"w":{"dtype":"F64","shape":[1,2],"data_offsets":[0,16]},"b":{"dtype":"F64","shape":[1],"data_offsets":[16,24]}} ` +
			"\x00\x00\x00\x00\x00\x00\xf0\x3f" + "\x00\x00\x00\x00\x00\x00\x00\xc0" + "\x00\x00\x00\x00\x00\x00\xe0\x3f"
	}
	if got := string(save(t, ts)); got != want {
		t.Errorf("saveTensors output:\n got %q\nwant %q", got, want)
	}
}

// TestLoadPyTorchLayout loads files laid out as PyTorch's safetensors writer
// lays them out: "__metadata__" first, tensors sorted by name (so bias before
// weight, unlike Tensors()), compact JSON padded with spaces.
func TestLoadPyTorchLayout(t *testing.T) {
	var header string
	switch floatBits {
	case 32:
		header = `{"__metadata__":{"format":"pt"},"fc.bias":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"fc.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[8,32]}}     `
	case 64:
		header = `{"__metadata__":{"format":"pt"},"fc.bias":{"dtype":"F64","shape":[2],"data_offsets":[0,16]},"fc.weight":{"dtype":"F64","shape":[2,3],"data_offsets":[16,64]}}   `
	}
	if len(header)%8 != 0 {
		t.Fatalf("test header length %d not a multiple of 8", len(header))
	}
	data := le(-1, -2, 1, 2, 3, 4, 5, 6) // bias, then weight
	ts := fcModel(0)
	if err := loadTensors(bytes.NewReader(file(header, data)), ts); err != nil {
		t.Fatalf("loadTensors: %v", err)
	}
	if want := le(1, 2, 3, 4, 5, 6, -1, -2); !bytes.Equal(snapshot(ts), want) {
		t.Errorf("loaded %x, want %x", snapshot(ts), want)
	}

	// Header order differing from data order, metadata last with other
	// keys, and pretty-printed JSON are all accepted.
	header = fmt.Sprintf("{\n  \"fc.weight\": {\"data_offsets\": [%d, %d], \"shape\": [2, 3], \"dtype\": %q},\n  \"fc.bias\": {\"shape\": [2], \"dtype\": %q, \"data_offsets\": [0, %d]},\n  \"__metadata__\": {\"format\": \"pt\", \"note\": \"hi\"}\n}\n",
		2*elemSize, 8*elemSize, dtype, dtype, 2*elemSize)
	ts = fcModel(0)
	if err := loadTensors(bytes.NewReader(file(header, data)), ts); err != nil {
		t.Fatalf("loadTensors: %v", err)
	}
	if want := le(1, 2, 3, 4, 5, 6, -1, -2); !bytes.Equal(snapshot(ts), want) {
		t.Errorf("loaded %x, want %x", snapshot(ts), want)
	}
}

// errReader returns its data and then err.
type errReader struct {
	data []byte
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

type loadErrorCase struct {
	name string
	in   []byte
	want string
}

func loadErrorCases() []loadErrorCase {
	E := elemSize
	valid := fcHeader(0, 6*E, 6*E, 8*E, "")
	size := func(n uint64) []byte { return binary.LittleEndian.AppendUint64(nil, n) }
	entry := func(name, body string) string {
		return fcHeader(0, 6*E, 6*E, 8*E, fmt.Sprintf(",%q:%s", name, body))
	}
	withBias := func(body string) string {
		return fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[0,%d]},"fc.bias":%s}`, dtype, 6*E, body)
	}
	hb := uint64(math.MaxUint64 - 63)
	many := ""
	for i := range 12 {
		many += fmt.Sprintf(`,"x%02d":{}`, i)
	}
	return []loadErrorCase{
		{"empty input", nil, "safetensors: truncated header size: got 0 of 8 bytes"},
		{"short size", []byte{1, 2, 3, 4, 5}, "safetensors: truncated header size: got 5 of 8 bytes"},
		{"header size 0", size(0), "safetensors: header size 0 too small"},
		{"header size 1", append(size(1), '{'), "safetensors: header size 1 too small"},
		{"header size huge", size(1 << 62), "safetensors: header size 4611686018427387904 exceeds limit of 104857600 bytes"},
		{"header size max", size(math.MaxUint64), "safetensors: header size 18446744073709551615 exceeds limit of 104857600 bytes"},
		{"header size just over limit", size(100<<20 + 1), "safetensors: header size 104857601 exceeds limit of 104857600 bytes"},
		{"truncated header", append(size(100), `{"fc.weigh`...), "safetensors: truncated header: got 10 of 100 bytes"},
		{"large truncated header", append(size(50<<20), `{"fc.weight":`...), "safetensors: truncated header: got 13 of 52428800 bytes"},
		{"invalid UTF-8", file("{\"fc.w\xffeight\":{}}", nil), "safetensors: header is not valid UTF-8"},
		{"not JSON", file("xx", nil), "safetensors: invalid header: invalid character 'x' looking for beginning of value"},
		{"not an object", file("[]", nil), "safetensors: invalid header: not a JSON object"},
		{"null header", file("null    ", nil), "safetensors: invalid header: not a JSON object"},
		{"unterminated object", file(`{"fc.bias":{}`, nil), "safetensors: invalid header: unexpected end of JSON input"},
		{"empty JSON", file("  ", nil), "safetensors: invalid header: unexpected end of JSON input"},
		{"unterminated value", file(`{"fc.bias":`, nil), "safetensors: invalid header: unexpected end of JSON input"},
		{"unterminated string", file(`{"fc.bias`, nil), "safetensors: invalid header: unexpected end of JSON input"},
		{"trailing JSON", file(valid+"{}", fcData()), "safetensors: invalid header: unexpected data after JSON value"},
		{"trailing garbage", file(valid+" x", fcData()), "safetensors: invalid header: invalid character 'x' looking for beginning of value"},
		{"NUL padding", file(valid+"\x00", fcData()), "safetensors: invalid header: invalid character '\\x00' looking for beginning of value"},
		{"duplicate tensor", file(entry("fc.bias", "{}"), fcData()), `safetensors: invalid header: duplicate key "fc.bias"`},
		{"duplicate metadata", file(valid[:len(valid)-1]+`,"__metadata__":{},"__metadata__":{}}`, fcData()), `safetensors: invalid header: duplicate key "__metadata__"`},
		{"metadata number value", file(entry("__metadata__", `{"format":"pt","n":1}`), fcData()), `safetensors: invalid __metadata__: value of "n" is not a string`},
		{"metadata array", file(entry("__metadata__", `["pt"]`), fcData()), "safetensors: invalid __metadata__: not a JSON object"},
		{"metadata null", file(entry("__metadata__", `null`), fcData()), "safetensors: invalid __metadata__: not a JSON object"},
		{"metadata duplicate key", file(entry("__metadata__", `{"a":"1","a":"2"}`), fcData()), `safetensors: invalid __metadata__: duplicate key "a"`},
		{"missing tensor", file(fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[0,%d]}}`, dtype, 6*E), fcData()[:6*E]), `safetensors: missing tensor "fc.bias"`},
		{"empty header", file("{}", nil), `safetensors: missing tensor "fc.weight"`},
		{"wrong dtype", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2],"data_offsets":[%d,%d]}`, otherDtype, 6*E, 8*E)), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": dtype %s, want %s`, otherDtype, dtype)},
		{"odd dtype", file(withBias(fmt.Sprintf(`{"dtype":"f 32","shape":[2],"data_offsets":[%d,%d]}`, 6*E, 8*E)), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": dtype "f 32", want %s`, dtype)},
		{"wrong shape", file(fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,4],"data_offsets":[0,%d]}}`, dtype, 8*E), nil), `safetensors: tensor "fc.weight": shape [2 4], want [2 3]`},
		{"transposed shape", file(strings.Replace(valid, "[2,3]", "[3,2]", 1), fcData()), `safetensors: tensor "fc.weight": shape [3 2], want [2 3]`},
		{"scalar shape", file(strings.Replace(valid, "[2]", "[]", 1), fcData()), `safetensors: tensor "fc.bias": shape [], want [2]`},
		{"unexpected tensor", file(entry("other", `{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`), fcData()), `safetensors: unexpected tensor "other"`},
		{"unexpected tensors", file(fcHeader(0, 6*E, 6*E, 8*E, `,"b":1,"a":{}`), fcData()), `safetensors: unexpected tensors "b", "a"`},
		{"many unexpected tensors", file(fcHeader(0, 6*E, 6*E, 8*E, many), fcData()), `safetensors: unexpected tensors "x00", "x01", "x02", "x03", "x04", "x05", "x06", "x07", "x08", "x09" and 2 more`},
		{"entry not object", file(withBias(`[1]`), fcData()), `safetensors: tensor "fc.bias": invalid entry: not a JSON object`},
		{"entry null", file(withBias(`null`), fcData()), `safetensors: tensor "fc.bias": invalid entry: not a JSON object`},
		{"missing dtype", file(withBias(fmt.Sprintf(`{"shape":[2],"data_offsets":[%d,%d]}`, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: missing field "dtype"`},
		{"missing shape", file(withBias(fmt.Sprintf(`{"dtype":%q,"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: missing field "shape"`},
		{"missing offsets", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2]}`, dtype)), fcData()), `safetensors: tensor "fc.bias": invalid entry: missing field "data_offsets"`},
		{"unknown field", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2],"data_offsets":[%d,%d],"offsets":[0,1]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: unknown field "offsets"`},
		{"field case", file(withBias(fmt.Sprintf(`{"DType":%q,"shape":[2],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: unknown field "DType"`},
		{"duplicate field", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2],"shape":[2],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: duplicate field "shape"`},
		{"dtype not string", file(withBias(fmt.Sprintf(`{"dtype":32,"shape":[2],"data_offsets":[%d,%d]}`, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "dtype": not a JSON string`},
		{"shape null", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":null,"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": not a JSON array`},
		{"shape null element", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[null],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": element 0 is not a number`},
		{"shape negative", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[-2],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": element 0 (-2) is not a non-negative 64-bit integer`},
		{"shape fraction", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2.0],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": element 0 (2.0) is not a non-negative 64-bit integer`},
		{"shape overflow", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[18446744073709551616],"data_offsets":[%d,%d]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": element 0 (18446744073709551616) is not a non-negative 64-bit integer`},
		{"shape too many dims", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[%s1],"data_offsets":[%d,%d]}`, dtype, strings.Repeat("1,", 64), 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "shape": more than 64 elements`},
		{"offsets one element", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2],"data_offsets":[%d]}`, dtype, 6*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "data_offsets": not 2 elements`},
		{"offsets three elements", file(withBias(fmt.Sprintf(`{"dtype":%q,"shape":[2],"data_offsets":[%d,%d,0]}`, dtype, 6*E, 8*E)), fcData()), `safetensors: tensor "fc.bias": invalid entry: field "data_offsets": more than 2 elements`},
		{"offsets reversed", file(fcHeader(0, 6*E, 8*E, 6*E, ""), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": invalid data_offsets [%d %d]`, 8*E, 6*E)},
		{"offsets wrong span", file(fcHeader(0, 6*E, 6*E, 7*E, ""), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [%d %d] span %d bytes, want %d`, 6*E, 7*E, E, 2*E)},
		{"offsets huge span", file(fcHeader(0, 6*E, 0, math.MaxInt64, ""), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [0 %d] span %d bytes, want %d`, math.MaxInt64, math.MaxInt64, 2*E)},
		{"offsets huge begin", file(fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[0,%d]},"fc.bias":{"dtype":%q,"shape":[2],"data_offsets":[%d,%d]}}`, dtype, 6*E, dtype, hb, hb+uint64(2*E)), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors`, hb, hb+uint64(2*E), 8*E)},
		// The tensor with the bad offsets is named, whatever the order.
		{"offsets huge begin first", file(fmt.Sprintf(`{"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[%d,%d]},"fc.bias":{"dtype":%q,"shape":[2],"data_offsets":[%d,%d]}}`, dtype, hb, hb+uint64(6*E), dtype, 6*E, 8*E), fcData()), fmt.Sprintf(`safetensors: tensor "fc.weight": data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors`, hb, hb+uint64(6*E), 8*E)},
		{"offsets overlap", file(fcHeader(0, 6*E, 4*E, 6*E, ""), fcData()), `safetensors: tensors "fc.weight" and "fc.bias" overlap in the data buffer`},
		{"offsets same", file(fcHeader(0, 6*E, 0, 2*E, ""), fcData()), `safetensors: tensors "fc.bias" and "fc.weight" overlap in the data buffer`},
		{"offsets gap", file(fcHeader(0, 6*E, 7*E, 9*E, ""), le(1, 2, 3, 4, 5, 6, 0, -1, -2)), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors`, 7*E, 9*E, 8*E)},
		{"offsets far away", file(fcHeader(0, 6*E, 1<<40, 1<<40+2*E, ""), fcData()), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors`, 1<<40, 1<<40+2*E, 8*E)},
		{"offsets not from zero", file(fcHeader(E, 7*E, 7*E, 9*E, ""), le(0, 1, 2, 3, 4, 5, 6, -1, -2)), fmt.Sprintf(`safetensors: tensor "fc.bias": data_offsets [%d %d] beyond the data buffer, which holds the %d bytes of the tensors`, 7*E, 9*E, 8*E)},
		{"no data", file(valid, nil), fmt.Sprintf("safetensors: truncated data: got 0 of %d bytes", 8*E)},
		{"truncated data", file(valid, fcData()[:8*E-1]), fmt.Sprintf("safetensors: truncated data: got %d of %d bytes", 8*E-1, 8*E)},
	}
}

func TestLoadErrors(t *testing.T) {
	for _, tc := range loadErrorCases() {
		t.Run(tc.name, func(t *testing.T) {
			ts := fcModel(0.5)
			before := snapshot(ts)
			err := loadTensors(bytes.NewReader(tc.in), ts)
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error:\n got %s\nwant %s", err, tc.want)
			}
			if !bytes.Equal(snapshot(ts), before) {
				t.Errorf("tensors changed on error")
			}
		})
	}
}

func TestLoadReadErrors(t *testing.T) {
	boom := errors.New("boom")
	full := save(t, fcModel(2))
	n := 8 + int(binary.LittleEndian.Uint64(full))
	for _, tc := range []struct {
		cut  int
		want string
	}{
		{0, "safetensors: reading header size: boom"},
		{3, "safetensors: reading header size: boom"},
		{8, "safetensors: reading header: boom"},
		{n - 1, "safetensors: reading header: boom"},
		{n, "safetensors: reading data: boom"},
		{len(full) - 1, "safetensors: reading data: boom"},
	} {
		ts := fcModel(0)
		before := snapshot(ts)
		err := loadTensors(&errReader{data: full[:tc.cut], err: boom}, ts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("cut at %d: error %v, want %q", tc.cut, err, tc.want)
		}
		if !errors.Is(err, boom) {
			t.Errorf("cut at %d: error does not wrap the read error", tc.cut)
		}
		if !bytes.Equal(snapshot(ts), before) {
			t.Errorf("cut at %d: tensors changed on error", tc.cut)
		}
	}
	// Every truncation of a valid file is an error and changes nothing.
	for cut := range len(full) {
		ts := fcModel(0)
		before := snapshot(ts)
		err := loadTensors(bytes.NewReader(full[:cut]), ts)
		if err == nil || !strings.HasPrefix(err.Error(), "safetensors: truncated ") {
			t.Errorf("cut at %d: error %v, want a truncation error", cut, err)
		}
		if !bytes.Equal(snapshot(ts), before) {
			t.Errorf("cut at %d: tensors changed on error", cut)
		}
	}
}

// TestLoadSmallAllocation checks that a header or data length claimed by a
// short input does not cause a matching allocation.
func TestLoadSmallAllocation(t *testing.T) {
	const n = 8 << 20
	big := []Tensor{{Name: "big", Shape: []int{n}, Data: make([]Float, n)}}
	header := fmt.Sprintf(`{"big":{"dtype":%q,"shape":[%d],"data_offsets":[0,%d]}}`, dtype, n, n*elemSize)
	inputs := [][]byte{
		binary.LittleEndian.AppendUint64(nil, 100<<20), // header claims 100 MiB
		file(header, make([]byte, 100)),                // data claims 32 or 64 MiB
	}
	for i, in := range inputs {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		err := loadTensors(bytes.NewReader(in), big)
		runtime.ReadMemStats(&m1)
		if err == nil || !strings.HasPrefix(err.Error(), "safetensors: truncated ") {
			t.Errorf("input %d: error %v, want a truncation error", i, err)
		}
		if a := m1.TotalAlloc - m0.TotalAlloc; a > 4<<20 {
			t.Errorf("input %d: allocated %d bytes for a %d-byte input", i, a, len(in))
		}
	}
}

func TestLoadLargeTensor(t *testing.T) {
	// Larger than stReadChunk, so the data buffer is read incrementally.
	n := 3*stReadChunk/elemSize + 5
	src := []Tensor{{Name: "big", Shape: []int{n}, Data: make([]Float, n)}}
	for i := range src[0].Data {
		src[0].Data[i] = Float(i)
	}
	b := save(t, src)
	dst := []Tensor{{Name: "big", Shape: []int{n}, Data: make([]Float, n)}}
	if err := loadTensors(bytes.NewReader(b), dst); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(snapshot(src), snapshot(dst)) {
		t.Error("data differs")
	}
}

func TestCallerErrors(t *testing.T) {
	for _, tc := range []struct {
		ts   []Tensor
		want string
	}{
		{[]Tensor{{Name: "a", Shape: []int{2}, Data: make([]Float, 3)}}, `safetensors: tensor "a": shape [2] has 2 elements but Data has 3`},
		{[]Tensor{{Name: "a", Shape: []int{-1, -2}, Data: make([]Float, 2)}}, `safetensors: tensor "a": negative dimension in shape [-1 -2]`},
		{[]Tensor{{Name: "a", Shape: []int{math.MaxInt / 2, 4}, Data: nil}}, fmt.Sprintf(`safetensors: tensor "a": shape [%d 4] too large`, math.MaxInt/2)},
		{[]Tensor{{Name: "a", Shape: []int{1}, Data: make([]Float, 1)}, {Name: "a", Shape: []int{1}, Data: make([]Float, 1)}}, `safetensors: duplicate tensor name "a"`},
		{[]Tensor{{Name: "__metadata__", Shape: []int{1}, Data: make([]Float, 1)}}, `safetensors: tensor name "__metadata__" is reserved`},
		{[]Tensor{{Name: "a\xff", Shape: []int{1}, Data: make([]Float, 1)}}, `safetensors: tensor name "a\xff" is not valid UTF-8`},
	} {
		var buf bytes.Buffer
		if err := saveTensors(&buf, tc.ts); err == nil || err.Error() != tc.want {
			t.Errorf("saveTensors: error %v, want %q", err, tc.want)
		}
		if buf.Len() != 0 {
			t.Errorf("saveTensors wrote %d bytes on error", buf.Len())
		}
		if err := loadTensors(bytes.NewReader(save(t, fcModel(1))), tc.ts); err == nil || err.Error() != tc.want {
			t.Errorf("loadTensors: error %v, want %q", err, tc.want)
		}
	}
}

type failWriter struct{ n int }

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		n := w.n
		w.n = 0
		return n, errors.New("disk full")
	}
	w.n -= len(p)
	return len(p), nil
}

func TestSaveWriteError(t *testing.T) {
	n := 1<<20/elemSize + 3 // bigger than the bufio buffer
	big := []Tensor{{Name: "big", Shape: []int{n}, Data: make([]Float, n)}}
	total := len(save(t, big))
	for _, limit := range []int{0, 5, 100, 70000, total - 1} {
		err := saveTensors(&failWriter{n: limit}, big)
		if err == nil || err.Error() != "safetensors: writing: disk full" {
			t.Errorf("limit %d: error %v, want %q", limit, err, "safetensors: writing: disk full")
		}
	}
	if err := saveTensors(&failWriter{n: total}, big); err != nil {
		t.Errorf("exact fit: %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add(save(f, fcModel(1)))
	f.Add(save(f, fcModel(Float(math.NaN()))))
	f.Add(file(fcHeader(0, 6*elemSize, 6*elemSize, 8*elemSize, ""), fcData()))
	f.Add(file(fmt.Sprintf(`{"__metadata__":{"format":"pt"},"fc.bias":{"dtype":%q,"shape":[2],"data_offsets":[0,%d]},"fc.weight":{"dtype":%q,"shape":[2,3],"data_offsets":[%d,%d]}}`,
		dtype, 2*elemSize, dtype, 2*elemSize, 8*elemSize), le(-1, -2, 1, 2, 3, 4, 5, 6)))
	for _, tc := range loadErrorCases() {
		if len(tc.in) < 1<<16 {
			f.Add(tc.in)
		}
	}
	valid := save(f, fcModel(2))
	for _, cut := range []int{7, 8, 20, len(valid) - 1} {
		f.Add(valid[:cut])
	}
	for _, i := range []int{0, 3, 7, 8, 40, len(valid) - 2} {
		b := bytes.Clone(valid)
		b[i] ^= 0x5a
		f.Add(b)
	}

	f.Fuzz(func(t *testing.T, in []byte) {
		ts := fcModel(0.5)
		before := snapshot(ts)
		err := loadTensors(bytes.NewReader(in), ts)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "safetensors: ") {
				t.Errorf("error %q lacks the safetensors: prefix", err)
			}
			if !bytes.Equal(snapshot(ts), before) {
				t.Errorf("tensors changed on error %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := saveTensors(&buf, ts); err != nil {
			t.Fatalf("re-save: %v", err)
		}
		again := fcModel(-3)
		if err := loadTensors(bytes.NewReader(buf.Bytes()), again); err != nil {
			t.Fatalf("reload of re-saved file: %v", err)
		}
		if !bytes.Equal(snapshot(again), snapshot(ts)) {
			t.Errorf("re-save does not round-trip")
		}
		var buf2 bytes.Buffer
		if err := saveTensors(&buf2, again); err != nil || !bytes.Equal(buf.Bytes(), buf2.Bytes()) {
			t.Errorf("second re-save differs (err %v)", err)
		}
	})
}

// TestMetadata checks that saveTensorsMeta's metadata reaches the check of
// loadTensorsMeta, and that an error from the check leaves the tensors
// unchanged.
func TestMetadata(t *testing.T) {
	src := []Tensor{{Name: "w", Shape: []int{2}, Data: []Float{1, 2}}}
	var buf bytes.Buffer
	if err := saveTensorsMeta(&buf, src, [][2]string{{"optimizer", "adam"}, {"step", "12"}}); err != nil {
		t.Fatal(err)
	}
	dst := []Tensor{{Name: "w", Shape: []int{2}, Data: []Float{0, 0}}}
	var got map[string]string
	if err := loadTensorsMeta(bytes.NewReader(buf.Bytes()), dst, func(m map[string]string) error {
		got = m
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got["optimizer"] != "adam" || got["step"] != "12" || got["format"] != "pt" || dst[0].Data[1] != 2 {
		t.Errorf("metadata %v, data %v", got, dst[0].Data)
	}
	dst[0].Data[0], dst[0].Data[1] = 0, 0
	refused := errors.New("refused")
	if err := loadTensorsMeta(bytes.NewReader(buf.Bytes()), dst, func(map[string]string) error { return refused }); err != refused {
		t.Errorf("error %v, want the check's", err)
	}
	if dst[0].Data[0] != 0 || dst[0].Data[1] != 0 {
		t.Error("a refused file changed the tensors")
	}
	// Without metadata, the check sees an empty map.
	buf.Reset()
	header := fmt.Sprintf(`{"w":{"dtype":"%s","shape":[2],"data_offsets":[0,%d]}}`, stDtype(), 2*stElemSize)
	binary.Write(&buf, binary.LittleEndian, uint64(len(header)))
	buf.WriteString(header)
	data := make([]byte, 2*stElemSize)
	stEncode(data, []Float{3, 4})
	buf.Write(data)
	if err := loadTensorsMeta(&buf, dst, func(m map[string]string) error {
		if len(m) != 0 {
			t.Errorf("metadata %v, want none", m)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}
