/* report_css: the stylesheet of report_html's page, as a string the binary carries. A string and not
 * a file beside the binary: the page is one self-contained file, sent as a case attachment and opened
 * offline, and its Content-Security-Policy allows inline style and nothing else; the binary needs no
 * data file to write it. The state classes are defined here, beside the rules that colour them, from
 * component_table's words: a new lane or a new bad word needs no edit here. */
#include <string.h>

#include "component.h"
#include "report_css.h"
#include "util.h"

/* The stylesheet with the lanes left open, filled in by report_css_add: $lanes is how many there
 * are; $good(SEL) is SEL once for each good word of the table (a list of selectors, '%' standing for
 * the word), $bad(SEL) the same for the bad words; $good1 and $bad1 take the first word only (the
 * timeline's key shows one swatch of each). A SEL holds no ')' and the rest of the sheet no '$'. */
static const char css_template[] =
    ":root{--ok:#2e9e5b;--bad:#d64545;--unk:#c5cad3;--other:#e39b2d;--crit:#7b2cbf;--err:#c62828;"
    "--warn:#d98200;--info:#1f6fb2;--none:#7a7f87;--ink:#1d2330;--muted:#5d6470;--line:#dde1e7}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,Helvetica,"
    "Arial,sans-serif;color:var(--ink);background:#fff}\n"
    "main{max-width:1240px;margin:0 auto}\n"
    "code,.text,.loc,.path{font-family:ui-monospace,\"SFMono-Regular\",Menlo,Consolas,\"Liberation Mono\","
    "monospace;font-size:12.5px}\n"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0;word-break:break-all}"
    "h3{font-size:15px;margin:22px 0 8px;padding-bottom:3px;border-bottom:1px solid var(--line)}\n"
    ".muted,.meta{color:var(--muted)}\n"
    "section.bundle{border-top:3px solid var(--ink);padding-top:14px;margin-top:26px}\n"
    ".bundle-head{display:flex;gap:12px;align-items:baseline;flex-wrap:wrap}\n"
    ".status{font-size:12px;font-weight:600;text-transform:uppercase;padding:1px 8px;border-radius:3px;"
    "background:#e7f4ec;color:#1d6b3d}.status.partial{background:#fff2d9;color:#8a5a00}"
    ".status.error{background:#fbe3e3;color:#9b1c1c}\n"
    ".problems{color:#8a5a00;margin:6px 0}\n"
    ".states{display:grid;grid-template-columns:repeat($lanes,1fr);gap:10px;margin:14px 0 4px}\n"
    ".state{border:1px solid var(--line);border-left:6px solid var(--unk);border-radius:4px;padding:6px 10px}\n"
    "$good(.state.%){border-left-color:var(--ok)}$bad(.state.%){border-left-color:var(--bad)}"
    ".state.other{border-left-color:var(--other)}\n"
    ".state .label{font-size:12px;color:var(--muted)}.state .value{font-weight:700;text-transform:uppercase}"
    "$bad(.state.% .value){color:var(--bad)}$good(.state.% .value){color:#1d6b3d}"
    ".state .note{text-transform:none;font-weight:400}.state .since{font-size:12px;color:var(--muted)}\n"
    "figure.timeline{margin:0}svg.timeline{display:block;width:100%;height:auto;font-size:12px;font-family:inherit}\n"
    "svg.timeline .seg{stroke:#fff;stroke-width:.5}$good(svg.timeline .seg.%){fill:var(--ok)}"
    "$bad(svg.timeline .seg.%){fill:var(--bad)}"
    "svg.timeline .seg.unknown{fill:var(--unk)}svg.timeline .seg.other{fill:var(--other)}\n"
    "svg.timeline .lane-bg{fill:#f3f4f6}svg.timeline text.lane{text-anchor:end;fill:var(--ink)}\n"
    "svg.timeline .grid{stroke:#e6e8ec}svg.timeline .base{stroke:#8a9099}"
    "svg.timeline text.tick{text-anchor:middle;fill:var(--muted);font-size:11px}"
    "svg.timeline .day{font-weight:600;fill:var(--ink)}\n"
    "svg.timeline .incident{fill:none;stroke-width:1.5;stroke-dasharray:4 2}"
    "svg.timeline .lane-bg+.incident{fill-opacity:.18}\n"
    "svg.timeline .marker path{stroke:#fff;stroke-width:1}svg.timeline .marker line{stroke:#1d2330;"
    "stroke-width:1.5}svg.timeline .marker:hover path{stroke:#000}\n"
    ".sev-critical{--sev:var(--crit)}.sev-error{--sev:var(--err)}.sev-warning{--sev:var(--warn)}"
    ".sev-info{--sev:var(--info)}.sev-none{--sev:var(--none)}\n"
    "svg.timeline .incident{stroke:var(--sev);fill:var(--sev);fill-opacity:0}svg.timeline .marker path{fill:var(--sev)}\n"
    "figcaption{font-size:12px;color:var(--muted);margin-top:4px}\n"
    ".key{display:inline-block;width:12px;height:10px;margin:0 4px 0 10px;vertical-align:-1px}"
    ".key:first-child{margin-left:0}$good1(.key.%){background:var(--ok)}$bad1(.key.%){background:var(--bad)}"
    ".key.unknown{background:var(--unk)}.key.other{background:var(--other)}"
    ".key.incident{border:1.5px dashed var(--err)}.key-marker{color:var(--err);margin:0 4px 0 10px}\n"
    "dl.context{display:grid;grid-template-columns:max-content 1fr max-content 1fr;gap:2px 14px;margin:0 0 10px}\n"
    "dl.context dt,dl.facts dt{color:var(--muted)}dl.context dd,dl.facts dd{margin:0;word-break:break-word}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:3px 8px;"
    "border-bottom:1px solid var(--line)}th{font-size:12px;color:var(--muted);font-weight:600}"
    ".num{text-align:right}\n"
    ".fs{font-size:12px;font-weight:600}.fs-present{color:#1d6b3d}.fs-missing,.fs-unreadable{color:var(--bad)}"
    ".fs-empty,.fs-too-big{color:#8a5a00}\n"
    "article.finding{border:1px solid var(--line);border-left:5px solid var(--sev);border-radius:4px;"
    "padding:10px 14px;margin:12px 0;break-inside:avoid}article.finding.explained{margin-left:28px}\n"
    "article.finding header{display:flex;gap:10px;align-items:baseline;flex-wrap:wrap}"
    "article.finding h4{margin:0;font-size:15px}\n"
    ".badge{font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;background:var(--sev);"
    "padding:1px 7px;border-radius:3px}.rule{color:var(--muted)}.comp{font-size:12px;border:1px solid var(--line);"
    "border-radius:10px;padding:0 8px}\n"
    "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}\n"
    ".ongoing{color:var(--bad);font-weight:600}.recovered{color:#1d6b3d;font-weight:600}\n"
    "table.evidence{margin:6px 0;background:#f7f8fa}table.evidence td{border-bottom:1px solid #eceef2}"
    "table.evidence .loc,table.evidence .time{white-space:nowrap;color:var(--muted);width:1%}"
    ".text{white-space:pre-wrap;overflow-wrap:anywhere}table.evidence tr:target{background:#fff6c9}"
    "table.evidence:target{outline:2px solid var(--sev)}tr.omitted td{color:var(--muted);font-style:italic}\n"
    ".fix,.next{margin:8px 0 2px}.next ol{margin:2px 0 0;padding-left:22px}.fix-label{font-weight:700;margin-right:4px}ul.refs{margin:4px 0 0;padding-left:20px;"
    "font-size:13px}\n"
    "details.events{margin:16px 0}details.events summary{cursor:pointer;font-weight:600}"
    "details.events .time{white-space:nowrap}$good(.st.%){color:#1d6b3d}$bad(.st.%){color:var(--bad)}\n"
    "table.summary th,table.summary td.path,table.summary .st{white-space:nowrap}table.summary tr.verdict td{white-space:normal;color:var(--muted);font-size:12.5px;padding-top:0}"
    "table.summary tr:not(.verdict) td{border-bottom:0}"
    "section.summary{overflow-x:auto;margin-top:18px}section.summary h2{margin-bottom:8px}\n"
    "a{color:#1f5fa8}footer{margin-top:30px;font-size:12px;color:var(--muted)}\n"
    "@media print{body{padding:0;font-size:11px}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "section.bundle{break-before:page}section.bundle:first-of-type{break-before:auto}a{color:inherit}}\n";

/* SEL for each of words, comma-separated, '%' replaced by the word. */
static void add_selectors(struct buf *b, const char *sel, size_t len, const char *const *words, size_t n)
{
	size_t i, k;

	for (i = 0; i < n; i++) {
		if (i)
			buf_addc(b, ',');
		for (k = 0; k < len; k++)
			if (sel[k] == '%')
				buf_adds(b, words[i]);
			else
				buf_addc(b, sel[k]);
	}
}

/* The marker at p (just past its '$') expanded into b; returns what follows it. */
static const char *expand_marker(struct buf *b, const char *p)
{
	const char *words[COMPONENT_MAX * COMPONENT_WORDS];
	size_t name = strspn(p, "abcdefghijklmnopqrstuvwxyz1"), n;
	const char *sel = p + name + 1, *end;
	int good;

	if (name == 5 && strncmp(p, "lanes", 5) == 0) {
		buf_printf(b, "%zu", component_n);
		return p + name;
	}
	good = strncmp(p, "good", 4) == 0;
	n = component_words(good, words, sizeof words / sizeof *words);
	if (p[name - 1] == '1' && n > 1)
		n = 1;
	end = strchr(sel, ')');
	add_selectors(b, sel, (size_t)(end - sel), words, n);
	return end + 1;
}

void report_css_add(struct buf *b)
{
	const char *p = css_template, *d;

	while ((d = strchr(p, '$')) != NULL) {
		buf_add(b, p, (size_t)(d - p));
		p = expand_marker(b, d + 1);
	}
	buf_adds(b, p);
}

/* A CSS class for a state word. States come from rule files, so a word the table does not know
 * gets "other" rather than being written into a class attribute. */
const char *report_css_state_class(const char *st)
{
	const char *w = component_word(st);

	if (st == NULL || strcmp(st, "unknown") == 0)
		return "unknown";
	return w ? w : "other";
}
