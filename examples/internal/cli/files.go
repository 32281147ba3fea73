package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"
)

// Saver is what a generated Model is to SaveFile: it writes its weights.
type Saver interface {
	Save(w io.Writer) error
}

// Loader is what a generated Model is to LoadFile: it reads its weights.
type Loader interface {
	Load(r io.Reader) error
}

// SaveFile writes m's weights into the file path (created or truncated)
// through m.Save: for a generated Model, in the safetensors format with
// the spec's names and PyTorch's shapes.
func SaveFile(path string, m Saver) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	err = m.Save(w)
	if err == nil {
		err = w.Flush()
	}
	if err != nil {
		f.Close()
		return fmt.Errorf("saving weights to %s: %w", path, err)
	}
	return f.Close()
}

// LoadFile reads weights from the file path into m through m.Load. A
// generated Model checks every name, shape and dtype, and is left
// unchanged on any error.
func LoadFile(path string, m Loader) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := m.Load(bufio.NewReader(f)); err != nil {
		return fmt.Errorf("loading weights from %s: %w", path, err)
	}
	return nil
}
