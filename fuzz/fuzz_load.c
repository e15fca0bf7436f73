/* fuzz_load.c - libFuzzer target: the JSON table loader on arbitrary file
 * contents, in every shape it accepts (a JSON array, JSON Lines, a stream of
 * pretty-printed objects, an Event Hubs {"records":[...]} batch, a Log
 * Analytics API answer). The first byte picks the table name, so both an
 * inferred table and the two known Log Analytics schemas (typed columns) are
 * exercised; the rest is the file. A loaded table is printed in every output
 * format, so each converted cell is read back.
 * Built by fuzz/CMakeLists.txt; run by fuzz/run.sh. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "format.h"
#include "json_load.h"
#include "schema.h"

static const char *const table_names[] = { "T", "SigninLogs", "AADNonInteractiveUserSignInLogs" };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;   /* opened once, lives as long as the process */
    if (!sink && !(sink = fopen("/dev/null", "w")))
        abort();
    if (size == 0)
        return 0;
    const char *name = table_names[data[0] % (sizeof table_names / sizeof table_names[0])];
    /* A copy of exactly the file's bytes, so ASan sees any read past its end. */
    char *text = malloc(size - 1 ? size - 1 : 1);   /* freed below */
    if (!text)
        return 0;
    for (size_t i = 1; i < size; i++) text[i - 1] = (char)data[i];
    kql_load_error err;
    kql_table *t = kql_load_json_text(text, size - 1, "fuzz.json", name, &err);   /* owned here */
    if (t) {
        kql_format_write(sink, t, KQL_FORMAT_CSV);
        kql_format_write(sink, t, KQL_FORMAT_JSON);
        kql_format_write(sink, t, KQL_FORMAT_TABLE);
        kql_table_free(t);
    } else if (err.message[0] == '\0') {
        abort();   /* a refused file must say why */
    }
    free(text);
    return 0;
}
