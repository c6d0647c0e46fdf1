/* report_svg: the HTML report's state timeline -- a lane per state component, the findings'
 * incidents and markers over it -- as an inline SVG figure with its key and caption. */
#ifndef DARTSCAN_REPORT_SVG_H
#define DARTSCAN_REPORT_SVG_H

struct buf;
struct scan_result;

/* Appends to b the "State timeline" heading and figure of the page's bundle number bid, or a line
 * saying there is nothing to draw. Its ids are tl-BID; its markers link to the evidence tables
 * ev-BID-N and its caption to the findings f-BID-N, which report_html writes. Borrows res. */
void report_svg_timeline(struct buf *b, const struct scan_result *res, unsigned long bid);

#endif
