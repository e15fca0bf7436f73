/* colour.c - colouring diff lines by their mark (colour.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colour.h"

bool cli_colour_wanted(FILE *out)
{
    const char *no = getenv("NO_COLOR");   /* https://no-color.org */
    return isatty(fileno(out)) && !(no && *no);
}

void cli_colour_write(FILE *out, const char *text, bool colour)
{
    static const struct { const char *mark, *sgr; } marks[] = {
        { "  - ", "\033[31m" }, { "  + ", "\033[32m" }, { "  ~ ", "\033[33m" },
    };
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        const char *sgr = NULL;
        for (size_t i = 0; colour && i < sizeof marks / sizeof marks[0]; i++)
            if (strncmp(s, marks[i].mark, 4) == 0) sgr = marks[i].sgr;
        if (sgr) fputs(sgr, out);
        fwrite(s, 1, len, out);
        if (sgr) fputs("\033[0m", out);
        if (nl) fputc('\n', out);
        s += len + (nl != NULL);
    }
}
