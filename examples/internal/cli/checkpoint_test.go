package cli

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func sampleCheckpoint() *Checkpoint {
	c := &Checkpoint{Epoch: 3, LR: 0.128, Seed: 7, Settings: "opt=adam batch=32",
		Model: []byte("model bytes"), Optimizer: []byte("optimizer state")}
	c.History.Add(1, 0.5, math.NaN(), 0.9)
	c.History.Add(2, 0.25, 0.95, 0.93)
	return c
}

// TestCheckpointRoundTrip writes a checkpoint over an older one and reads
// it back.
func TestCheckpointRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ckpt")
	old := sampleCheckpoint()
	old.Epoch = 1
	if err := WriteCheckpoint(path, old, nil); err != nil {
		t.Fatal(err)
	}
	c := sampleCheckpoint()
	paused := false
	if err := WriteCheckpoint(path, c, func() {
		paused = true
		// Half of the new file is written, the old one is intact.
		if got, err := ReadCheckpoint(path); err != nil || got.Epoch != 1 {
			t.Errorf("during the write: %v, epoch %v; want the old checkpoint", err, got)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if !paused {
		t.Error("pause was not called")
	}
	got, err := ReadCheckpoint(path)
	if err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(got.History.TrainAcc[0]) {
		t.Errorf("NaN in the history read back as %v", got.History.TrainAcc[0])
	}
	got.History.TrainAcc[0], c.History.TrainAcc[0] = 0, 0
	if !reflect.DeepEqual(got, c) {
		t.Errorf("read back %+v, wrote %+v", got, c)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the temporary file is left behind: %v", err)
	}
}

// TestCheckpointDamaged checks that every truncation and every change of
// a byte is refused with ErrDamaged.
func TestCheckpointDamaged(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ckpt")
	if err := WriteCheckpoint(path, sampleCheckpoint(), nil); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(dir, "bad")
	check := func(what string, b []byte) {
		t.Helper()
		if err := os.WriteFile(bad, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadCheckpoint(bad); !errors.Is(err, ErrDamaged) {
			t.Fatalf("%s: error %v, want ErrDamaged", what, err)
		}
	}
	for n := range len(data) {
		check("truncated", data[:n])
	}
	check("extended", append(append([]byte{}, data...), 0))
	for i := range data {
		b := append([]byte{}, data...)
		b[i] ^= 0x20
		check("changed", b)
	}
}
