package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
)

// A Checkpoint is the whole state of a training run between two epochs:
// what a resumed run needs to continue exactly as the interrupted one
// would have.
type Checkpoint struct {
	Epoch    int     // epochs completed
	LR       float64 // learning rate of the next epoch: the position in the schedule
	Seed     uint64  // seed of the data order: epoch e visits Perm(n, Seed, e), so Seed and Epoch are its whole state
	Settings string  // the settings of the run (optimizer, batch, decay, ...); a run resumes only with the same
	History  History // the epochs so far, for the curves

	Model     []byte // the model's Save
	Optimizer []byte // the optimizer's Save
}

// checkpointMagic starts every checkpoint file.
const checkpointMagic = "bpgen checkpoint 1\n"

// A checkpoint file is checkpointMagic, the length of the header as 8
// bytes little-endian, the JSON header, the model's and the optimizer's
// bytes, and the SHA-256 of everything before it, so that any damage is
// found before anything is used.
type checkpointHeader struct {
	Epoch    int
	LR       float64
	Seed     uint64
	Settings string
	History  historyJSON
	ModelLen int
	OptLen   int
}

// WriteCheckpoint writes c into the file path atomically: into a temporary
// file beside it (path + ".tmp"), flushed to disk with fsync, then renamed
// over path, and the directory synced. A crash or a kill at any moment
// leaves either the previous checkpoint or the new one at path, never a
// mixture. pause, if not nil, is called when half of the temporary file is
// written (a test uses it to kill the process in the middle of a write).
func WriteCheckpoint(path string, c *Checkpoint, pause func()) error {
	data, err := encodeCheckpoint(c)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	half := len(data) / 2
	_, err = f.Write(data[:half])
	if err == nil && pause != nil {
		pause()
	}
	if err == nil {
		_, err = f.Write(data[half:])
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing checkpoint %s: %w", path, err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // make the rename durable; not every file system can
		d.Close()
	}
	return nil
}

func encodeCheckpoint(c *Checkpoint) ([]byte, error) {
	h := checkpointHeader{Epoch: c.Epoch, LR: c.LR, Seed: c.Seed, Settings: c.Settings, History: toJSON(&c.History),
		ModelLen: len(c.Model), OptLen: len(c.Optimizer)}
	hdr, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(checkpointMagic)
	binary.Write(&b, binary.LittleEndian, uint64(len(hdr)))
	b.Write(hdr)
	b.Write(c.Model)
	b.Write(c.Optimizer)
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return b.Bytes(), nil
}

// ErrDamaged is wrapped by the errors of ReadCheckpoint for a file that is
// not a whole, intact checkpoint.
var ErrDamaged = errors.New("damaged checkpoint")

// maxCheckpointHeader bounds the header a file may claim, so that a damaged
// length cannot make ReadCheckpoint allocate much.
const maxCheckpointHeader = 16 << 20

// ReadCheckpoint reads a checkpoint written by WriteCheckpoint. A file that
// is truncated, extended or changed in any byte is refused with an error
// wrapping ErrDamaged; NaN in History survives the trip.
func ReadCheckpoint(path string) (*Checkpoint, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	c, err := decodeCheckpoint(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w: %v", path, ErrDamaged, err)
	}
	return c, nil
}

func decodeCheckpoint(data []byte) (*Checkpoint, error) {
	rest, ok := bytes.CutPrefix(data, []byte(checkpointMagic))
	if !ok {
		return nil, errors.New("not a bpgen checkpoint (wrong first line)")
	}
	if len(rest) < 8+sha256.Size {
		return nil, io.ErrUnexpectedEOF
	}
	body := data[:len(data)-sha256.Size]
	if sum := sha256.Sum256(body); !bytes.Equal(sum[:], data[len(body):]) {
		return nil, errors.New("its checksum does not match: the file is truncated or changed")
	}
	rest = rest[:len(rest)-sha256.Size]
	n := binary.LittleEndian.Uint64(rest)
	rest = rest[8:]
	if n > maxCheckpointHeader || n > uint64(len(rest)) {
		return nil, fmt.Errorf("header length %d beyond the %d bytes of the file", n, len(rest))
	}
	var h checkpointHeader
	if err := json.Unmarshal(rest[:n], &h); err != nil {
		return nil, fmt.Errorf("header: %v", err)
	}
	blobs := rest[n:]
	if h.ModelLen < 0 || h.OptLen < 0 || len(blobs) != h.ModelLen+h.OptLen {
		return nil, fmt.Errorf("%d bytes of model and optimizer state, the header says %d + %d", len(blobs), h.ModelLen, h.OptLen)
	}
	hist, err := h.History.history()
	if err != nil {
		return nil, fmt.Errorf("history: %v", err)
	}
	return &Checkpoint{Epoch: h.Epoch, LR: h.LR, Seed: h.Seed, Settings: h.Settings, History: hist,
		Model: blobs[:h.ModelLen], Optimizer: blobs[h.ModelLen:]}, nil
}

// historyJSON is a History with its values as text, since JSON has no NaN.
type historyJSON struct {
	Epoch                   []int
	Loss, TrainAcc, TestAcc []string
}

func toJSON(h *History) historyJSON {
	text := func(v []float64) []string {
		s := make([]string, len(v))
		for i, x := range v {
			s[i] = strconv.FormatFloat(x, 'g', -1, 64)
		}
		return s
	}
	return historyJSON{Epoch: h.Epoch, Loss: text(h.Loss), TrainAcc: text(h.TrainAcc), TestAcc: text(h.TestAcc)}
}

func (j historyJSON) history() (History, error) {
	h := History{Epoch: j.Epoch}
	for _, p := range []struct {
		dst *[]float64
		src []string
	}{{&h.Loss, j.Loss}, {&h.TrainAcc, j.TrainAcc}, {&h.TestAcc, j.TestAcc}} {
		if len(p.src) != len(j.Epoch) {
			return History{}, errors.New("columns of different lengths")
		}
		for _, s := range p.src {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return History{}, err
			}
			*p.dst = append(*p.dst, v)
		}
	}
	return h, nil
}
