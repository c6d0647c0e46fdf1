/* report_css: the HTML report's stylesheet, inlined in the page, and the class it gives each state
 * word; the page's cards and tables and the SVG timeline's lanes are coloured by the same classes. */
#ifndef DARTSCAN_REPORT_CSS_H
#define DARTSCAN_REPORT_CSS_H

struct buf;
/* Appends the whole stylesheet, for the page's <style> element: its state classes are made from
 * component_table's words, its cards laid out for its number of lanes. */
void report_css_add(struct buf *b);
/* The class for a state word: "unknown" (also for NULL), a good or bad word of component_table
 * ("protected", "unprotected", "unavailable"), else "other". States come from rule files: a word of
 * their own never becomes a class attribute. */
const char *report_css_state_class(const char *st);

#endif
