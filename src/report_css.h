/* report_css: the HTML report's stylesheet, inlined in the page, and the class it gives each state
 * word; the page's cards and tables and the SVG timeline's lanes are coloured by the same classes. */
#ifndef DARTSCAN_REPORT_CSS_H
#define DARTSCAN_REPORT_CSS_H

/* The whole stylesheet, for the page's <style> element. */
extern const char report_css[];
/* The class for a state word: "protected", "unprotected", "unavailable", "unknown" (also for
 * NULL), else "other". States come from rule files: a word of their own never becomes a class
 * attribute. */
const char *report_css_state_class(const char *st);

#endif
