/* colour.h - printing a report with colour on a terminal: the lines of a
 * result diff marked `  - ` in red, `  + ` in green and `  ~ ` in yellow.
 * Elsewhere (a pipe, a file, a CI log) the text is printed as it is. */
#ifndef KQL_COLOUR_H
#define KQL_COLOUR_H

#include <stdbool.h>
#include <stdio.h>

/* Whether reports to `out` get colour: a terminal, and NO_COLOR not set. */
bool cli_colour_wanted(FILE *out);
void cli_colour_write(FILE *out, const char *text, bool colour);

#endif
