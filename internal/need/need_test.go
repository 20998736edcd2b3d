package need

import "testing"

func TestReason(t *testing.T) {
	if got := Reason("chromium", "not installed"); got != "needs chromium: not installed" {
		t.Errorf("Reason = %q", got)
	}
}
