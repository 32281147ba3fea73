package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// Rows and Cols are the height and width of an MNIST image in pixels.
const (
	Rows = 28
	Cols = 28
)

// Pixels is the number of pixels of one image, Rows*Cols.
const Pixels = Rows * Cols

// Classes is the number of digit classes, 0 to 9.
const Classes = 10

// Magic numbers of the two IDX file kinds MNIST uses: 0x08 says the
// elements are unsigned bytes, the last byte gives the number of
// dimensions (3 for images: count, rows, cols; 1 for labels: count).
const (
	ImagesMagic = 0x00000803
	LabelsMagic = 0x00000801
)

// initialCap bounds what a header's count may make the reader allocate
// before the data are actually there, so that a damaged count cannot make
// it allocate gigabytes.
const initialCap = 4096

// pixelValue maps a byte to byte/255.
var pixelValue = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(i) / 255
	}
	return t
}()

// open wraps r in a buffered reader and, if the stream starts with the gzip
// magic bytes 0x1f 0x8b, in a gzip reader. An IDX stream always starts
// with two zero bytes, so the two cannot be confused.
func open(r io.Reader, name string) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	head, err := br.Peek(2)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("mnist: %s: empty or truncated file (%d bytes)", name, len(head))
		}
		return nil, fmt.Errorf("mnist: %s: %w", name, err)
	}
	if head[0] != 0x1f || head[1] != 0x8b {
		return br, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("mnist: %s: bad gzip header: %w", name, err)
	}
	return bufio.NewReaderSize(zr, 1<<16), nil
}

// readHeader reads the magic number and the n dimension sizes that follow.
func readHeader(r io.Reader, name string, magic uint32, kind string, n int) ([]uint32, error) {
	buf := make([]byte, 4*(1+n))
	if k, err := io.ReadFull(r, buf[:4]); err != nil {
		return nil, readErr(name, err, fmt.Sprintf("header (got %d of %d bytes)", k, len(buf)))
	}
	if got := binary.BigEndian.Uint32(buf); got != magic {
		return nil, fmt.Errorf("mnist: %s: bad magic number 0x%08x, want 0x%08x (IDX %s file)", name, got, magic, kind)
	}
	if k, err := io.ReadFull(r, buf[4:]); err != nil {
		return nil, readErr(name, err, fmt.Sprintf("header (got %d of %d bytes)", 4+k, len(buf)))
	}
	dims := make([]uint32, n)
	for i := range dims {
		dims[i] = binary.BigEndian.Uint32(buf[4*(i+1):])
	}
	return dims, nil
}

// readErr turns an error of io.ReadFull into one naming the file and what
// was being read.
func readErr(name string, err error, what string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("mnist: %s: truncated file: %s", name, what)
	}
	return fmt.Errorf("mnist: %s: reading %s: %w", name, what, err)
}

// checkEnd makes sure the stream ends right after the data; for a gzip
// stream, reading to its end is also what verifies its checksum.
func checkEnd(r *bufio.Reader, name string) error {
	_, err := r.ReadByte()
	switch {
	case err == nil:
		return fmt.Errorf("mnist: %s: trailing data after the last item the header announces", name)
	case errors.Is(err, io.EOF):
		return nil
	default:
		return fmt.Errorf("mnist: %s: %w", name, err)
	}
}

// ReadImages reads an IDX image file (magic 0x00000803, 28x28 images) from
// r and returns its images with every pixel scaled to byte/255 in [0,1].
//
// r may hold the file either gzip-compressed (as the .gz files MNIST is
// distributed in) or already decompressed: a stream starting with the
// gzip magic bytes is decompressed first. name is only used in error
// messages, which all start with "mnist: name: ". The stream must end
// right after the last image.
func ReadImages(r io.Reader, name string) ([][Pixels]float32, error) {
	br, err := open(r, name)
	if err != nil {
		return nil, err
	}
	dims, err := readHeader(br, name, ImagesMagic, "image", 3)
	if err != nil {
		return nil, err
	}
	count, rows, cols := dims[0], dims[1], dims[2]
	if rows != Rows || cols != Cols {
		return nil, fmt.Errorf("mnist: %s: images are %dx%d, want %dx%d", name, rows, cols, Rows, Cols)
	}
	// Read the raw bytes first, so that memory grows with the data
	// actually there rather than with what the header claims, then
	// convert them into a slice of exactly the right size.
	want := int64(count) * Pixels
	var raw bytes.Buffer
	raw.Grow(int(min(want, initialCap*Pixels)))
	if _, err := raw.ReadFrom(io.LimitReader(br, want)); err != nil {
		return nil, readErr(name, err, fmt.Sprintf("image %d of %d", int64(raw.Len())/Pixels, count))
	}
	if got := int64(raw.Len()); got < want {
		return nil, fmt.Errorf("mnist: %s: truncated file: image %d of %d is incomplete (%d of %d pixel bytes)",
			name, got/Pixels, count, got, want)
	}
	data := raw.Bytes()
	images := make([][Pixels]float32, count)
	// Converting is as slow as decompressing: share it among the CPUs.
	parts := min(runtime.GOMAXPROCS(0), len(images)/initialCap+1)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(images)/parts, (p+1)*len(images)/parts
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				img := &images[i]
				for j, b := range data[i*Pixels : (i+1)*Pixels] {
					img[j] = pixelValue[b]
				}
			}
		})
	}
	wg.Wait()
	if err := checkEnd(br, name); err != nil {
		return nil, err
	}
	return images, nil
}

// ReadLabels reads an IDX label file (magic 0x00000801) from r and returns
// its labels, each checked to be a digit 0..9.
//
// As for [ReadImages], r may be gzip-compressed or not, name is used in
// error messages, and the stream must end right after the last label.
func ReadLabels(r io.Reader, name string) ([]uint8, error) {
	br, err := open(r, name)
	if err != nil {
		return nil, err
	}
	dims, err := readHeader(br, name, LabelsMagic, "label", 1)
	if err != nil {
		return nil, err
	}
	count := dims[0]
	labels := make([]uint8, 0, min(count, 16*initialCap))
	var buf [4096]byte
	for left := count; left > 0; {
		chunk := buf[:min(left, uint32(len(buf)))]
		if _, err := io.ReadFull(br, chunk); err != nil {
			return nil, readErr(name, err, fmt.Sprintf("labels (got fewer than the %d announced)", count))
		}
		for k, l := range chunk {
			if l >= Classes {
				return nil, fmt.Errorf("mnist: %s: label %d is %d, want 0..9", name, len(labels)+k, l)
			}
		}
		labels = append(labels, chunk...)
		left -= uint32(len(chunk))
	}
	if err := checkEnd(br, name); err != nil {
		return nil, err
	}
	return labels, nil
}
