# Turns a file into a C array (schema_data.c), so the kql binary carries the
# Log Analytics table schemas and needs no data files at run time.
file(READ ${IN} HEX HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," BYTES "${HEX}")
file(WRITE ${OUT} "/* generated from runtime/schemas/loganalytics.json */\n#include <stddef.h>\nconst unsigned char kql_schema_json[] = {${BYTES} 0x00};\nconst size_t kql_schema_json_len = sizeof kql_schema_json - 1;\n")
