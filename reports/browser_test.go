package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/synthor/synthor/bench"
	"github.com/synthor/synthor/internal/need"
	"github.com/synthor/synthor/metrics"
)

// chromiumFlags keep a headless chromium off the network and away from
// the user's profile.
var chromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
	"--disable-default-apps", "--mute-audio", "--hide-scrollbars"}

func chromium(t *testing.T) string {
	t.Helper()
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	need.Skip(t, "chromium", "chromium is not installed (apt-get install -y chromium): the HTML report is not checked in a browser")
	return ""
}

// probeHead records errors, console errors and CSP violations (any fetch:
// the page's policy forbids all) from the first byte of the page on.
const probeHead = `<script>
window.__probe = {errors: [], violations: []};
window.addEventListener('error', e => __probe.errors.push(String(e.message || e.type)), true);
document.addEventListener('securitypolicyviolation', e => __probe.violations.push(e.blockedURI + ' ' + e.violatedDirective));
const __ce = console.error; console.error = (...a) => { __probe.errors.push(a.join(' ')); __ce(...a); };
</script>`

// probeTail opens every collapsed section, then measures the page: the
// drawn plots, the fetched resources, how far the main content overflows
// the window, and the smallest text: HTML text at its computed size, SVG
// text at its size on screen (font size × the scale of its transform). It
// writes the result into the page for --dump-dom.
const probeTail = `<script>
(function () {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const figs = [...document.querySelectorAll('figure.plot svg')];
  const drawn = figs.filter(s => { const b = s.getBoundingClientRect();
    return b.width > 50 && b.height > 50 && s.querySelectorAll('path, text, line, rect, circle').length > 5; });
  const main = document.querySelector('main');
  const overflow = Math.max(document.documentElement.scrollWidth - window.innerWidth, main.scrollWidth - main.clientWidth);
  let minHTML = 1e9, minHTMLText = '';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!n.textContent.trim() || el.closest('svg')) continue;
    const fs = parseFloat(getComputedStyle(el).fontSize);
    if (fs < minHTML) { minHTML = fs; minHTMLText = n.textContent.trim().slice(0, 40); }
  }
  let minSVG = 1e9, minSVGText = '';
  document.querySelectorAll('svg text').forEach(t => {
    const m = t.getScreenCTM(); if (!m || !t.textContent.trim()) return;
    const fs = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (fs < minSVG) { minSVG = fs; minSVGText = t.textContent.trim().slice(0, 40); }
  });
  const out = {svgs: figs.length, drawn: drawn.length,
    marks: figs.map(s => s.querySelectorAll('path').length),
    resources: performance.getEntriesByType('resource').map(r => r.name),
    errors: __probe.errors, violations: __probe.violations, tables: document.querySelectorAll('table').length,
    overflow: overflow, minHTML: minHTML, minHTMLText: minHTMLText, minSVG: minSVG, minSVGText: minSVGText,
    width: window.innerWidth};
  const pre = document.createElement('pre'); pre.id = 'probe'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>`

type probe struct {
	SVGs        int      `json:"svgs"`
	Drawn       int      `json:"drawn"`
	Marks       []int    `json:"marks"`
	Resources   []string `json:"resources"`
	Errors      []string `json:"errors"`
	Violations  []string `json:"violations"`
	Tables      int      `json:"tables"`
	Overflow    float64  `json:"overflow"`
	MinHTML     float64  `json:"minHTML"`
	MinHTMLText string   `json:"minHTMLText"`
	MinSVG      float64  `json:"minSVG"`
	MinSVGText  string   `json:"minSVGText"`
	Width       int      `json:"width"`
}

// instrument adds the probes to a report; the policy keeps forbidding every
// fetch but lets the two inline probe scripts run.
func instrument(page string) string {
	page = strings.Replace(page, "default-src 'none';", "default-src 'none'; script-src 'unsafe-inline';", 1)
	page = strings.Replace(page, "<head>", "<head>"+probeHead, 1)
	return strings.Replace(page, "</body>", probeTail+"</body>", 1)
}

func runChromium(t *testing.T, bin string, args ...string) (stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	all := append(append(slices2(chromiumFlags), "--user-data-dir="+t.TempDir()), args...)
	cmd := exec.CommandContext(ctx, bin, all...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, errb.String())
	}
	return out.String(), errb.String()
}

func slices2(s []string) []string { return append([]string(nil), s...) }

// minFont is the smallest text the report may show, in CSS pixels.
const minFont = 11

// withPrivacy adds a DCR share to every ok cell of run, so that the
// fixture's report draws the trade-off picture (the value is made up: the
// test measures the page, not the score).
func withPrivacy(run *Run) {
	for i := range run.Results {
		r := &run.Results[i]
		if r.Status == bench.StatusOK {
			r.Metrics = append(r.Metrics, metrics.Score{Name: "dcr_share", Group: "privacy", Columns: []string{"a", "b", "c"},
				Value: 0.45 + 0.01*float64(r.Seed+uint64(len(r.Method.Label)%5)), Better: metrics.Lower})
		}
	}
}

// TestHTMLInBrowser loads the fixture's report in headless Chromium at
// 1,400 pixels: every plot is drawn, nothing is fetched, the console shows
// no error, the main content (every section opened) does not overflow the
// window, and no text, HTML or SVG, is smaller than 11 pixels.
func TestHTMLInBrowser(t *testing.T) {
	bin := chromium(t)
	run := openWithReal(t)
	withPrivacy(run)
	var buf bytes.Buffer
	if err := WriteHTML(&buf, run, Build(run.Results)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if err := os.WriteFile(page, []byte(instrument(buf.String())), 0o644); err != nil {
		t.Fatal(err)
	}
	dom, stderr := runChromium(t, bin, "--window-size=1400,4000", "--virtual-time-budget=3000", "--dump-dom", "file://"+page)
	m := regexp.MustCompile(`<pre id="probe">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no probe output in the DOM (scripts blocked?); stderr:\n%s", stderr)
	}
	var p probe
	if err := json.Unmarshal([]byte(htmlUnescape(m[1])), &p); err != nil {
		t.Fatalf("probe %q: %v", m[1], err)
	}
	t.Logf("at %d px: overflow %g px, smallest text %g px HTML (%q), %g px SVG (%q), %d plots",
		p.Width, p.Overflow, p.MinHTML, p.MinHTMLText, p.MinSVG, p.MinSVGText, p.SVGs)
	const wantPlots = fixturePlots + 2 // and the trade-off picture and the critical-difference diagram
	if p.SVGs != wantPlots || p.Drawn != wantPlots {
		t.Errorf("%d plots, %d drawn, want %d (marks per plot %v)", p.SVGs, p.Drawn, wantPlots, p.Marks)
	}
	if len(p.Errors) > 0 || len(p.Violations) > 0 {
		t.Errorf("errors %q, blocked fetches %q", p.Errors, p.Violations)
	}
	if len(p.Resources) > 0 {
		t.Errorf("the page fetched %q", p.Resources)
	}
	if p.Tables < 5 {
		t.Errorf("%d tables", p.Tables)
	}
	if p.Width != 1400 || p.Overflow > 0 {
		t.Errorf("at %d pixels the main content overflows by %g pixels", p.Width, p.Overflow)
	}
	if p.MinHTML < minFont || p.MinSVG < minFont {
		t.Errorf("text smaller than %d px: HTML %g px (%q), SVG %g px (%q)", minFont, p.MinHTML, p.MinHTMLText, p.MinSVG, p.MinSVGText)
	}
	if strings.Contains(stderr, "Uncaught") {
		t.Errorf("console:\n%s", stderr)
	}
	// The page as shipped, without probes, renders to a non-empty image.
	if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "shot.png")
	runChromium(t, bin, "--window-size=1400,1000", "--screenshot="+shot, "file://"+page)
	if st, err := os.Stat(shot); err != nil || st.Size() < 20000 {
		t.Fatalf("screenshot %v %v", st, err)
	}
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&quot;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&").Replace(s)
}
