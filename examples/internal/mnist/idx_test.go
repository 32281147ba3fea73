package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// idx builds an IDX stream: magic, dims, then data.
func idx(magic uint32, dims []uint32, data []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.BigEndian, magic)
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(data)
	return b.Bytes()
}

func gz(data []byte) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.Bytes()
}

// imageFile returns an IDX image stream of n images where image i has
// pixel j equal to byte(i+j).
func imageFile(n int) []byte {
	data := make([]byte, n*Pixels)
	for i := range n {
		for j := range Pixels {
			data[i*Pixels+j] = byte(i + j)
		}
	}
	return idx(ImagesMagic, []uint32{uint32(n), Rows, Cols}, data)
}

func labelFile(labels ...byte) []byte {
	return idx(LabelsMagic, []uint32{uint32(len(labels))}, labels)
}

func TestReadImages(t *testing.T) {
	for _, compress := range []bool{false, true} {
		data := imageFile(3)
		if compress {
			data = gz(data)
		}
		imgs, err := ReadImages(bytes.NewReader(data), "x")
		if err != nil {
			t.Fatalf("gzip=%v: %v", compress, err)
		}
		if len(imgs) != 3 {
			t.Fatalf("gzip=%v: got %d images, want 3", compress, len(imgs))
		}
		for i, img := range imgs {
			for j, v := range img {
				if want := float32(byte(i+j)) / 255; v != want {
					t.Fatalf("image %d pixel %d = %v, want %v", i, j, v, want)
				}
			}
		}
		if imgs[0][0] != 0 || imgs[0][255] != 1 {
			t.Errorf("scaling: pixel 0 = %v, pixel 255 = %v; want 0 and 1", imgs[0][0], imgs[0][255])
		}
	}
}

func TestReadLabels(t *testing.T) {
	want := []byte{5, 0, 4, 1, 9, 2}
	for _, data := range [][]byte{labelFile(want...), gz(labelFile(want...))} {
		got, err := ReadLabels(bytes.NewReader(data), "x")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	// Empty files are valid IDX files.
	got, err := ReadLabels(bytes.NewReader(labelFile()), "x")
	if err != nil || len(got) != 0 {
		t.Fatalf("empty label file: %v, %v", got, err)
	}
}

func TestReadErrors(t *testing.T) {
	valid := imageFile(2)
	gzValid := gz(valid)
	tests := []struct {
		name   string
		labels bool
		data   []byte
		want   string
	}{
		{"empty", false, nil, "empty or truncated"},
		{"one byte", true, []byte{0}, "empty or truncated"},
		{"short header", false, valid[:10], "truncated file: header"},
		{"label magic in image file", false, labelFile(1, 2), "bad magic number 0x00000801, want 0x00000803"},
		{"image magic in label file", true, valid, "bad magic number 0x00000803, want 0x00000801"},
		{"wrong size", false, idx(ImagesMagic, []uint32{1, 32, 32}, make([]byte, 1024)), "images are 32x32, want 28x28"},
		{"truncated images", false, valid[:len(valid)-1], "truncated file: image 1 of 2 is incomplete"},
		{"huge count", false, idx(ImagesMagic, []uint32{0xffffffff, Rows, Cols}, make([]byte, 10)), "truncated file: image 0 of 4294967295 is incomplete"},
		{"trailing image data", false, append(imageFile(1), 0), "trailing data"},
		{"truncated labels", true, labelFile(1, 2, 3)[:10], "truncated file: labels"},
		{"label out of range", true, labelFile(1, 2, 10), "label 2 is 10, want 0..9"},
		{"trailing label data", true, append(labelFile(1), 7), "trailing data"},
		{"truncated gzip", false, gzValid[:len(gzValid)/2], "truncated file"},
		{"bad gzip header", false, []byte{0x1f, 0x8b, 0, 0}, "bad gzip header"},
		{"bad gzip checksum", false, func() []byte {
			b := bytes.Clone(gzValid)
			b[len(b)-6] ^= 0xff // last bytes: CRC-32 then size
			return b
		}(), "checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.labels {
				_, err = ReadLabels(bytes.NewReader(tt.data), "some/file.gz")
			} else {
				_, err = ReadImages(bytes.NewReader(tt.data), "some/file.gz")
			}
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mnist: some/file.gz: ") || !strings.Contains(msg, tt.want) {
				t.Fatalf("error %q, want one starting with %q and containing %q", msg, "mnist: some/file.gz: ", tt.want)
			}
		})
	}
}

// writeSet writes the four gzip files of a tiny data set to a temporary
// folder and returns it.
func writeSet(t *testing.T, trainImages, trainLabels, testImages, testLabels []byte) string {
	t.Helper()
	dir := t.TempDir()
	for i, data := range [][]byte{trainImages, trainLabels, testImages, testLabels} {
		if err := os.WriteFile(filepath.Join(dir, Files[i]), gz(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadSmall(t *testing.T) {
	dir := writeSet(t, imageFile(3), labelFile(5, 0, 4), imageFile(2), labelFile(7, 2))
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 3 || test.Len() != 2 || !bytes.Equal(train.Labels, []byte{5, 0, 4}) || !bytes.Equal(test.Labels, []byte{7, 2}) {
		t.Fatalf("got train %d %v, test %d %v", train.Len(), train.Labels, test.Len(), test.Labels)
	}
	sub := train.Subset(2)
	if sub.Len() != 2 || len(sub.Labels) != 2 || sub.Images[1] != train.Images[1] {
		t.Fatalf("Subset(2) has %d images, %d labels", sub.Len(), len(sub.Labels))
	}
	for _, n := range []int{0, -1, 3, 100} {
		if train.Subset(n) != train {
			t.Errorf("Subset(%d) is not the whole set", n)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	dir := writeSet(t, imageFile(3), labelFile(5, 0), imageFile(2), labelFile(7, 2))
	_, _, err := Load(dir)
	if err == nil || !strings.Contains(err.Error(), "has 3 images but") || !strings.Contains(err.Error(), TrainLabelsFile+" has 2 labels") {
		t.Fatalf("count mismatch: got %v", err)
	}

	dir = writeSet(t, imageFile(1), labelFile(5), imageFile(1), labelFile(12))
	_, _, err = Load(dir)
	if err == nil || !strings.Contains(err.Error(), filepath.Join(dir, TestLabelsFile)) || !strings.Contains(err.Error(), "label 0 is 12") {
		t.Fatalf("bad label: got %v", err)
	}

	empty := t.TempDir()
	_, _, err = Load(empty)
	if err == nil || !strings.Contains(err.Error(), TrainImagesFile) || !strings.Contains(err.Error(), TestLabelsFile) {
		t.Fatalf("missing files: got %v", err)
	}
}

func TestLocateEnv(t *testing.T) {
	dir := writeSet(t, imageFile(1), labelFile(1), imageFile(1), labelFile(2))
	t.Setenv(EnvDir, dir)
	got, err := Locate()
	if err != nil || got != dir {
		t.Fatalf("Locate() = %q, %v; want %q", got, err, dir)
	}
	train, test, err := LoadDefault()
	if err != nil || train.Len() != 1 || test.Labels[0] != 2 {
		t.Fatalf("LoadDefault: %v", err)
	}

	t.Setenv(EnvDir, t.TempDir())
	if _, err := Locate(); err == nil || !strings.Contains(err.Error(), EnvDir) || !strings.Contains(err.Error(), "lacks") {
		t.Fatalf("Locate on an empty folder: %v", err)
	}
}

func FuzzReadIDX(f *testing.F) {
	f.Add(imageFile(1))
	f.Add(imageFile(2)[:100])
	f.Add(gz(imageFile(1)))
	f.Add(labelFile(3, 1, 4))
	f.Add(gz(labelFile(3, 1, 4)))
	f.Add(labelFile(3, 11))
	f.Add(idx(ImagesMagic, []uint32{0xffffffff, Rows, Cols}, nil))
	f.Add(idx(ImagesMagic, []uint32{1, 0xffffffff, 0xffffffff}, nil))
	f.Add(idx(LabelsMagic, []uint32{0xffffffff}, []byte{1, 2}))
	f.Add(idx(0x00000804, []uint32{1, 2, 3, 4}, nil))
	f.Add([]byte{0x1f, 0x8b})
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		if imgs, err := ReadImages(bytes.NewReader(data), "fuzz"); err == nil {
			for _, img := range imgs {
				for _, v := range img {
					if !(v >= 0 && v <= 1) {
						t.Fatalf("pixel %v outside [0,1]", v)
					}
				}
			}
		} else if !strings.HasPrefix(err.Error(), "mnist: fuzz: ") {
			t.Fatalf("error does not name the file: %v", err)
		}
		if labels, err := ReadLabels(bytes.NewReader(data), "fuzz"); err == nil {
			for _, l := range labels {
				if l > 9 {
					t.Fatalf("label %d", l)
				}
			}
		} else if !strings.HasPrefix(err.Error(), "mnist: fuzz: ") {
			t.Fatalf("error does not name the file: %v", err)
		}
	})
}
