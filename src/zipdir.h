/* zipdir: a zip's central directory read on its own, before libarchive inflates the entries it
 * lists, to refuse what libarchive would read trustingly: entries whose bytes overlap. */
#ifndef DARTSCAN_ZIPDIR_H
#define DARTSCAN_ZIPDIR_H

#include <stdint.h>

#include "util.h"

/* Checks the zip file open at fd (size bytes). Returns -1 with err ("overlapping entries: a zip
 * bomb ...") when two entries share bytes; 0 when they do not, or when the directory cannot be
 * found or read (libarchive then says what is wrong with it). */
int zipdir_check(int fd, uint64_t size, const char *path, struct ds_error *err);

#endif
