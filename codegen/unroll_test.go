package codegen

import (
	"strings"
	"testing"
)

func TestUnrollSmallLoops(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{
			"plain",
			"for i := range 3 {\n\ta[i] = b.i[i] + i\n}",
			"a[0] = b.i[0] + 0\n\ta[1] = b.i[1] + 1\n\ta[2] = b.i[2] + 2",
		},
		{
			"declarations get blocks",
			"for j := range 2 {\n\tv := x[j]\n\ts += v\n}",
			"{\n\t\tv := x[0]\n\t\ts += v\n\t}\n\t{\n\t\tv := x[1]\n\t\ts += v\n\t}",
		},
		{
			"nested",
			"for i := range 2 {\n\tfor j := range 2 {\n\t\ta[i][j] = 0\n\t}\n}",
			"a[0][0] = 0\n\ta[0][1] = 0\n\ta[1][0] = 0\n\ta[1][1] = 0",
		},
		{
			"continue stays a loop",
			"for i := range 2 {\n\tif a[i] == 0 {\n\t\tcontinue\n\t}\n\ta[i]++\n}",
			"for i := range 2 {\n\t\tif a[i] == 0 {\n\t\t\tcontinue\n\t\t}\n\t\ta[i]++\n\t}",
		},
		{
			"too many trips",
			"for i := range 9 {\n\ta[i] = 0\n}",
			"for i := range 9 {\n\t\ta[i] = 0\n\t}",
		},
		{
			"too many statements",
			"for i := range 8 {\n\ta[i] = 0\n\tb[i] = 0\n\tc[i] = 0\n\td[i] = 0\n\te[i] = 0\n\tf[i] = 0\n\tg[i] = 0\n\th[i] = 0\n}",
			"for i := range 8 {",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "package p\n\nfunc f() {\n\t" + strings.ReplaceAll(c.in, "\n", "\n\t") + "\n}\n"
			got, err := unrollSmallLoops([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(got), c.want) {
				t.Errorf("got\n%s\nwant it to contain\n%s", got, c.want)
			}
		})
	}
}
