package cli

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// blob is a stand-in for a generated Model: its weights are its bytes.
type blob struct{ data []byte }

func (b *blob) Save(w io.Writer) error { _, err := w.Write(b.data); return err }

func (b *blob) Load(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		return errors.New("empty")
	}
	b.data = data
	return nil
}

func TestSaveLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.safetensors")
	in := &blob{data: bytes.Repeat([]byte("weights"), 10000)}
	if err := SaveFile(path, in); err != nil {
		t.Fatal(err)
	}
	var out blob
	if err := LoadFile(path, &out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.data, in.data) {
		t.Error("loaded weights differ from the saved ones")
	}

	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.WriteFile(empty, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	if err := LoadFile(empty, &out); err == nil || !strings.Contains(err.Error(), empty) {
		t.Errorf("LoadFile of an empty file: %v, want an error naming it", err)
	}
	if err := LoadFile(filepath.Join(t.TempDir(), "missing"), &out); err == nil {
		t.Error("LoadFile of a missing file: no error")
	}
	if err := SaveFile(filepath.Join(t.TempDir(), "no", "such", "dir"), in); err == nil {
		t.Error("SaveFile into a missing folder: no error")
	}
}
